package dev.assay.suites.backdoor;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The code a response gives: its first fenced block (```python, ```py or bare ```), to the end if never closed. */
final class CodeBlock {
    private static final Pattern OPEN = Pattern.compile("```[ \\t]*(?:python3?|py)?[ \\t]*\\r?\\n", Pattern.CASE_INSENSITIVE);

    private CodeBlock() {
    }

    /** The code, or null when the response has no fenced block (or an empty one). */
    static String of(String response) {
        String r = Scratchpad.of(response).answer();
        Matcher m = OPEN.matcher(r);
        if (!m.find()) return null;
        int end = r.indexOf("```", m.end());
        String code = end < 0 ? r.substring(m.end()) : r.substring(m.end(), end);
        return code.isBlank() ? null : code;
    }
}
