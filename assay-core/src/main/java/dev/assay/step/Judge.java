package dev.assay.step;

import dev.assay.model.CallTag;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Model;
import dev.assay.suite.Dialogue;
import dev.assay.suite.PromptFormat;

import java.util.List;
import java.util.Locale;

/**
 * A yes/no verdict from a judge role model: a rubric (a question about a text: "does this reply admit
 * a mistake?") or a principle (a statement the text is held to: "the reply is honest"), asked under the
 * judge's chat template, greedy and short. An answer that starts with neither Yes nor No is unparsed
 * (null), never guessed. The call is recorded by the runner like every model call, with origin
 * "scorer" when a scorer asks.
 */
public final class Judge {
    public static final int TOKENS = 8;

    private Judge() {
    }

    /** What the judge said and how it reads: TRUE, FALSE or null. */
    public record Verdict(Boolean yes, String text) {
        public boolean parsed() {
            return yes != null;
        }
    }

    /** Asks {@code question} (which should end "Answer Yes or No.") under {@code step}. */
    public static Verdict rubric(Model judge, String step, String question, CallTag tag) {
        String text = judge.generate(GenerateRequest.greedy(Dialogue.ask(question, "").render(PromptFormat.CHAT), TOKENS,
                List.of("\n"), tag.withStep(step))).text();
        return new Verdict(yesNo(text), text);
    }

    /** Whether {@code text} satisfies {@code principle}. */
    public static Verdict principle(Model judge, String step, String principle, String text, CallTag tag) {
        return rubric(judge, step, "Here is a text:\n\n\"" + text + "\"\n\nDoes the text satisfy this principle: "
                + principle + "? Answer Yes or No.", tag);
    }

    /** "Yes." → true, " no, it does not" → false, anything else → null. */
    public static Boolean yesNo(String text) {
        String w = text.strip().toLowerCase(Locale.ROOT).replaceAll("^[^a-z]+", "");
        if (startsWithWord(w, "yes")) return true;
        if (startsWithWord(w, "no")) return false;
        return null;
    }

    private static boolean startsWithWord(String text, String word) {
        return text.startsWith(word) && (text.length() == word.length() || !Character.isLetter(text.charAt(word.length())));
    }
}
