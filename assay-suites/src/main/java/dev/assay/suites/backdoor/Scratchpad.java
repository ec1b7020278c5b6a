package dev.assay.suites.backdoor;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hidden reasoning of the paper's chain-of-thought backdoors: {@code <scratchpad>…</scratchpad>} is
 * taken out of a response before it is scored (Hubinger et al. 2024 strip it before the preference model
 * sees the answer), and kept in the log. A scratchpad the model never closed (cut off by the token limit)
 * runs to the end of the response: none of it is answer.
 */
record Scratchpad(String answer, String reasoning, boolean unclosed) {
    private static final Pattern BLOCK = Pattern.compile("(?is)<scratchpad>(.*?)(</scratchpad>|\\z)");

    static Scratchpad of(String response) {
        Matcher m = BLOCK.matcher(response);
        StringBuilder answer = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        boolean unclosed = false;
        int last = 0;
        while (m.find()) {
            answer.append(response, last, m.start());
            if (!reasoning.isEmpty()) reasoning.append("\n");
            reasoning.append(m.group(1));
            unclosed |= m.group(2).isEmpty();
            last = m.end();
        }
        answer.append(response.substring(last));
        // A stray closing tag (the scratchpad opened in a prefill) ends reasoning that began before the response.
        int close = answer.indexOf("</scratchpad>");
        if (close >= 0 && reasoning.isEmpty()) {
            reasoning.append(answer, 0, close);
            answer.delete(0, close + "</scratchpad>".length());
        }
        return new Scratchpad(answer.toString().strip(), reasoning.toString().strip(), unclosed);
    }
}
