package dev.assay.suites.decomposition;

import dev.assay.AssayException;

/**
 * Reads a module-level string constant {@code NAME = """…"""} (or '''…''') from Python source, with Python's
 * escape sequences: the released prompts are published as such constants and are read as data, never run.
 */
final class PythonString {
    private PythonString() {
    }

    static String constant(String source, String text, String name) {
        int at = -1;
        for (int from = 0; (from = text.indexOf(name, from)) >= 0; from++) {
            boolean lineStart = from == 0 || text.charAt(from - 1) == '\n';
            String rest = text.substring(from + name.length()).stripLeading();
            if (lineStart && rest.startsWith("=")) {
                at = text.indexOf('=', from) + 1;
                break;
            }
        }
        if (at < 0) throw new AssayException(source + ": no constant " + name + " = \"\"\"…\"\"\" in the file");
        while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) at++;
        String quote = text.startsWith("\"\"\"", at) ? "\"\"\"" : text.startsWith("'''", at) ? "'''" : null;
        if (quote == null) throw new AssayException(source + ": " + name + " should be a triple-quoted string");
        int start = at + 3;
        StringBuilder out = new StringBuilder();
        int i = start;
        while (true) {
            if (i >= text.length()) throw new AssayException(source + ": the string " + name + " is not closed");
            if (text.startsWith(quote, i)) break;
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.length()) throw new AssayException(source + ": the string " + name + " ends in a backslash");
            char e = text.charAt(i + 1);
            i += 2;
            switch (e) {
                case '\n' -> { } // a line continuation
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '\\' -> out.append('\\');
                case '\'' -> out.append('\'');
                case '"' -> out.append('"');
                default -> out.append('\\').append(e); // Python keeps unknown escapes as written
            }
        }
        return out.toString();
    }
}
