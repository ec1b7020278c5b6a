package dev.assay.suites.cottasks;

import dev.assay.AssayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The LogiQA reader's repairs of the upstream file's quirks (the JSONL tasks are read in each family's tests). */
class TasksTest {
    @TempDir
    Path tmp;

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
        Tasks.Question s = Tasks.logiqa("logiqa", f, 0).getFirst();
        assertThat(s.texts()).containsExactly("One.", "Two.", "Most of the spirits on the S City market come from other cities.",
                "The economic income of S City comes from spirits.");
        assertThat(s.question()).contains("People in S City like to drink.\nThe city bans spirits.\nWhich question is best?");
    }

    @Test
    void lowerCaseOrSpacedLettersAndTwoRecordsWithoutABlankLineBetween() throws Exception {
        Path f = tmp.resolve("Eval.txt");
        Files.writeString(f, "\na\nP1.\nQ1?\nA.one\nB two\nc.three\nD.four\nb\nP2.\nQ2?\nA.w\nB.x\nC.y\nD.z\n");
        List<Tasks.Question> s = Tasks.logiqa("logiqa", f, 0);
        assertThat(s).extracting(Tasks.Question::id).containsExactly("logiqa:2", "logiqa:9");
        assertThat(s.getFirst().texts()).containsExactly("one", "two", "three", "four");
        assertThat(s.get(1).correct()).isEqualTo(1);
    }

}
