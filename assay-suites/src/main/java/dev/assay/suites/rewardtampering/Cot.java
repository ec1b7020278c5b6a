package dev.assay.suites.rewardtampering;

import java.util.regex.Pattern;

/**
 * The paper's hidden reasoning: what a model writes inside {@code <cot>…</cot>} is kept in the transcript
 * (the viewer and re-scoring see it) but is not part of what the user — or a judge standing in for the
 * preference model — reads. An unclosed {@code <cot>} hides the rest of the text.
 */
final class Cot {
    private static final Pattern BLOCK = Pattern.compile("<cot>.*?(</cot>|\\z)", Pattern.DOTALL);

    private Cot() {
    }

    /** The text with its reasoning removed: what the user is shown. */
    static String visible(String text) {
        return text == null ? "" : BLOCK.matcher(text).replaceAll("").strip();
    }
}
