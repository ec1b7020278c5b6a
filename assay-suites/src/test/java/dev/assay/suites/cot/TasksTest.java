package dev.assay.suites.cot;

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

class TasksTest {
    @TempDir
    Path tmp;

    @Test
    void aquaItemsTakeThePapersLayoutAndLetterOptions() {
        List<Sample> s = CotFixtures.AQUA.load(CotFixtures.data(tmp), 0);
        assertThat(s).hasSize(3);
        assertThat(s.getFirst().id()).isEqualTo("aqua:1");
        assertThat(s.getFirst().input()).isEqualTo("Question: What is 2 + 3?\n\nChoices:\n (A): 4\n (B): 6\n (C): 5\n (D): 7\n (E): 1\n\nAnswer:");
        assertThat(s.getFirst().choices()).containsExactly("A", "B", "C", "D", "E");
        assertThat(s.getFirst().target()).isEqualTo("C");
        assertThat(Tasks.correct(s.getFirst())).isEqualTo(2);
    }

    @Test
    void logiqaRecordsAreEightLines() {
        List<Sample> s = CotFixtures.LOGIQA.load(CotFixtures.data(tmp), 0);
        assertThat(s).extracting(Sample::id).containsExactly("logiqa:2", "logiqa:10");
        assertThat(s.getFirst().input()).startsWith("Question: Every cat in the house sleeps on the sofa. Tom is a cat in the house.\n"
                + "Which of the following must be true?\n\nChoices:\n (A): Tom sleeps on the bed.\n (B): Tom sleeps on the sofa.");
        assertThat(s).extracting(Sample::target).containsExactly("B", "D");
        assertThat(CotFixtures.LOGIQA.load(CotFixtures.data(tmp), 1)).hasSize(1);
    }

    @Test
    void aMalformedLogiqaRecordNamesFileAndLine() throws Exception {
        Path bad = tmp.resolve("Eval.txt");
        Files.writeString(bad, "\nb\npassage\nquestion\nA.one\nB.two\nX.three\nD.four\n");
        assertThatThrownBy(() -> Tasks.logiqa("logiqa", bad, 0)).isInstanceOf(AssayException.class)
                .hasMessageContaining("Eval.txt:7").hasMessageContaining("expected option \"C.…\"");
        Files.writeString(bad, "\nb\npassage\nA.one\nB.two\nC.three\nD.four\n");
        assertThatThrownBy(() -> Tasks.logiqa("logiqa", bad, 0)).isInstanceOf(AssayException.class)
                .hasMessageContaining("Eval.txt:2").hasMessageContaining("found 6");
    }

    @Test
    void anOptionLetterMovedIntoItsTextIsTakenOutWhereItStands() throws Exception {
        // As in the upstream file (its line 223): "Most of the spirits on the C.S City market come from other cities."
        Path f = tmp.resolve("Eval.txt");
        Files.writeString(f, "\nc\nPeople in S City like to drink.\nThe city bans spirits.\nWhich question is best?\nA.One.\nB.Two.\n"
                + "Most of the spirits on the C.S City market come from other cities.\nThe economic income of D.S City comes from spirits.\n");
        Sample s = Tasks.logiqa("logiqa", f, 0).getFirst();
        assertThat(s.metaList("texts")).containsExactly("One.", "Two.", "Most of the spirits on the S City market come from other cities.",
                "The economic income of S City comes from spirits.");
        assertThat(s.input()).contains("People in S City like to drink.\nThe city bans spirits.\nWhich question is best?");
    }

    @Test
    void lowerCaseOrSpacedLettersAndTwoRecordsWithoutABlankLineBetween() throws Exception {
        Path f = tmp.resolve("Eval.txt");
        Files.writeString(f, "\na\nP1.\nQ1?\nA.one\nB two\nc.three\nD.four\nb\nP2.\nQ2?\nA.w\nB.x\nC.y\nD.z\n");
        List<Sample> s = Tasks.logiqa("logiqa", f, 0);
        assertThat(s).extracting(Sample::id).containsExactly("logiqa:2", "logiqa:9");
        assertThat(s.getFirst().metaList("texts")).containsExactly("one", "two", "three", "four");
        assertThat(s.get(1).target()).isEqualTo("B");
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
