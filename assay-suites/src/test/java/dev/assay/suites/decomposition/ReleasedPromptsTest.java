package dev.assay.suites.decomposition;

import dev.assay.suites.cottasks.Tasks;
import dev.assay.AssayException;
import dev.assay.data.Sample;
import dev.assay.model.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleasedPromptsTest {
    @TempDir
    Path tmp;

    @Test
    void pythonConstantsAreReadWithTheirEscapes() {
        String src = "# comment\nOTHER = 1\nP = \"\"\"\\n\\nHuman: a \\\"b\\\" \\\\ c\\\nd\\q\"\"\"\n";
        assertThat(PythonString.constant("f.py", src, "P")).isEqualTo("\n\nHuman: a \"b\" \\ cd\\q");
        assertThatThrownBy(() -> PythonString.constant("f.py", src, "MISSING")).isInstanceOf(AssayException.class)
                .hasMessageContaining("f.py").hasMessageContaining("MISSING");
        assertThatThrownBy(() -> PythonString.constant("f.py", "P = \"\"\"open", "P")).isInstanceOf(AssayException.class)
                .hasMessageContaining("not closed");
    }

    @Test
    void promptsSplitIntoTurnsAsWritten() {
        ReleasedPrompts p = ReleasedPrompts.load(Fixtures.data(tmp), Fixtures.PROMPTS);
        List<Message> t = p.fewShot().turns();
        assertThat(t).hasSize(4);
        assertThat(t.get(0).role()).isEqualTo("user");
        assertThat(t.get(0).content()).isEqualTo("Question: What is 2 + 3?\n\nChoices:\n (A) 4\n (B) 5\n (C) 6\n\nAnswer:");
        assertThat(t.get(1).content()).isEqualTo("The correct answer is choice (B) 5.");
        // "Human:\n<sub_a_1>" keeps its newline
        assertThat(p.decomposition().turns().get(4).content()).isEqualTo("\n<sub_a_1>2 + 3 is 5.</sub_a_1>");
        assertThat(p.fewShot().answers()).containsEntry("Question: What is 2 + 3?", 1).containsEntry("Question: Is water wet?", 0);
    }

    @Test
    void alwaysAReordersEveryExampleSoItStillAnswersItsOwnQuestion() {
        ReleasedPrompts p = ReleasedPrompts.load(Fixtures.data(tmp), Fixtures.PROMPTS);
        List<Message> cot = p.cot(true).turns();
        // 2 + 3: correct (B) 5 swapped with (A) 4; "B: 5" and "(B): 5" become A.
        assertThat(cot.get(0).content()).isEqualTo("Question: What is 2 + 3?\n\nChoices:\n (A) 5\n (B) 4\n (C) 6\n\nAnswer:");
        assertThat(cot.get(1).content()).isEqualTo("Let's think step by step:\n\n1) 2 + 3 = 5.\n\nSo the answer is A: 5.");
        assertThat(cot.get(3).content()).isEqualTo("The correct answer is choice (A): 5");
        // water: already (A), unchanged
        assertThat(cot.subList(4, 8)).isEqualTo(p.cot(false).turns().subList(4, 8));
        // the factored decomposition stage states no answer: taken from the other prompts by question
        assertThat(p.decomposition(true).turns().get(2).content()).startsWith("Question: What is 2 + 3?\n\nChoices:\n (A) 5\n (B) 4\n (C) 6");
        assertThat(p.recomposition(true).turns().get(3).content()).isEqualTo("Based on the above, the correct answer is choice (A) 5.");
        assertThat(p.recomposition(true).turns().get(2).content()).endsWith("Question: What is 2 + 3? Answer: 2 + 3 is 5.");
        assertThat(p.fewShot(true).answers().values()).containsOnly(0);
    }

    @Test
    void anExampleWithNoKnownAnswerCannotBeReordered() {
        FewShot f = new FewShot("x.py", FewShot.turns("x.py", "\n\nHuman: Question: Q?\n\nChoices:\n (A) a\n (B) b\n\nAssistant: <FIN></FIN>"));
        assertThatThrownBy(() -> f.alwaysA(Map.of())).isInstanceOf(AssayException.class).hasMessageContaining("x.py").hasMessageContaining("Q?");
    }

    @Test
    void letterSwapsTouchOnlyLetterMentions() {
        assertThat(FewShot.swapLetters("So the answer is C: Brinson. A board (C) choice C - yes; choice (A)", 'C', 'A'))
                .isEqualTo("So the answer is A: Brinson. A board (A) choice A - yes; choice (C)");
    }

    @Test
    void tasksReadAquaAndLogiqaIncludingAGarbledOptionLine() {
        List<Sample> aqua = Tasks.load(List.of(Fixtures.AQUA), Fixtures.data(tmp), 0, Tasks::sample);
        assertThat(aqua).hasSize(4);
        assertThat(aqua.get(1).input()).isEqualTo("Question: A car drives 60 km per hour for 3 hours. How far does it go?\n\nChoices:\n"
                + " (A) 120 km\n (B) 150 km\n (C) 180 km\n (D) 200 km");
        assertThat(aqua.get(1).target()).isEqualTo(" (C)");
        List<Sample> logiqa = Tasks.load(List.of(Fixtures.LOGIQA), Fixtures.data(tmp), 0, Tasks::sample);
        assertThat(logiqa).extracting(Sample::id).containsExactly("logiqa:2", "logiqa:10");
        assertThat(logiqa.get(0).input()).isEqualTo("Question: All cats are animals. Tom is a cat.\nWhich of the following must be true?\n\nChoices:\n"
                + " (A) Tom is a dog.\n (B) Tom is an animal.\n (C) Tom is green.\n (D) Tom is a plant.");
        assertThat(logiqa.get(0).target()).isEqualTo(" (B)");
        // the letter moved into the option's text is taken out where it stands (the reader cot/… uses too)
        assertThat(logiqa.get(1).input()).contains(" (C) Ann passed.");
    }
}
