package dev.assay.suites.cot;

import dev.assay.suites.cottasks.Tasks;
import dev.assay.AssayException;
import dev.assay.data.DataStore;
import dev.assay.data.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cot/… layout of the cot-transparency tasks (the reader itself is tested in cottasks.TasksTest). */
class TasksTest {
    @TempDir
    Path tmp;

    @Test
    void aquaItemsTakeThePapersLayoutAndLetterOptions() {
        List<Sample> s = Tasks.load(List.of(CotFixtures.AQUA), CotFixtures.data(tmp), 0, CotSuite::sample);
        assertThat(s).hasSize(3);
        assertThat(s.getFirst().id()).isEqualTo("aqua:1");
        assertThat(s.getFirst().input()).isEqualTo("Question: What is 2 + 3?\n\nChoices:\n (A): 4\n (B): 6\n (C): 5\n (D): 7\n (E): 1\n\nAnswer:");
        assertThat(s.getFirst().choices()).containsExactly("A", "B", "C", "D", "E");
        assertThat(s.getFirst().target()).isEqualTo("C");
        assertThat(Tasks.correct(s.getFirst())).isEqualTo(2);
    }

    @Test
    void logiqaRecordsAreEightLines() {
        List<Sample> s = Tasks.load(List.of(CotFixtures.LOGIQA), CotFixtures.data(tmp), 0, CotSuite::sample);
        assertThat(s).extracting(Sample::id).containsExactly("logiqa:2", "logiqa:10");
        assertThat(s.getFirst().input()).startsWith("Question: Every cat in the house sleeps on the sofa. Tom is a cat in the house.\n"
                + "Which of the following must be true?\n\nChoices:\n (A): Tom sleeps on the bed.\n (B): Tom sleeps on the sofa.");
        assertThat(s).extracting(Sample::target).containsExactly("B", "D");
        assertThat(CotFixtures.LOGIQA.load(CotFixtures.data(tmp), 1)).hasSize(1);
    }

    @Test
    void fileDataNeedsChoices() throws Exception {
        Path f = tmp.resolve("items.jsonl");
        Files.writeString(f, "{\"question\": \"2+2?\", \"options\": [\"3\", \"4\"], \"answer\": \"4\"}\n");
        var suite = new CotSuites().named("cot/early-answering/file:" + f + "#choices=options,target=answer");
        List<Sample> s = suite.load(new DataStore(null, tmp), 0);
        assertThat(s.getFirst().input()).isEqualTo("Question: 2+2?\n\nChoices:\n (A): 3\n (B): 4\n\nAnswer:");
        assertThat(s.getFirst().target()).isEqualTo("B");
        assertThat(s.getFirst().meta("dataset")).isEqualTo("items");
        var noChoices = new CotSuites().named("cot/filler-tokens/file:" + f + "#target=answer");
        assertThatThrownBy(() -> noChoices.load(new DataStore(null, tmp), 0)).isInstanceOf(AssayException.class)
                .hasMessageContaining("multiple-choice");
    }
}
