package dev.assay.step;


import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arithmetic and parsing of multiple-choice answers that {@link Choose} and scorers share: options
 * renormalised over their log-likelihoods, and the option a free-text answer names.
 */
public final class MultipleChoice {
    private MultipleChoice() {
    }

    /** p_i = exp(l_i) / Σ_j exp(l_j), computed stably by subtracting the maximum. */
    public static double[] renormalise(double[] logprobs) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logprobs) max = Math.max(max, l);
        double sum = 0;
        double[] p = new double[logprobs.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logprobs[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }

    /**
     * The option a free-text answer names first, or null. Options are matched by their label: " (A)"
     * by the letter in parentheses ("(A)", "A)") or standing alone at the start ("A", "A."); " Yes" by the word,
     * case-insensitively. The earliest mention in the text wins.
     */
    public static Integer parse(String text, List<String> options) {
        Integer best = null;
        int bestPos = Integer.MAX_VALUE;
        for (int i = 0; i < options.size(); i++) {
            int pos = firstMention(text, label(options.get(i)));
            if (pos >= 0 && pos < bestPos) {
                bestPos = pos;
                best = i;
            }
        }
        return best;
    }

    /** " (A)" → "A", " Yes" → "Yes", " he" → "he". */
    public static String label(String option) {
        String s = option.strip();
        if (s.length() >= 3 && s.startsWith("(") && s.endsWith(")")) s = s.substring(1, s.length() - 1).strip();
        return s;
    }

    private static int firstMention(String text, String label) {
        if (label.isEmpty()) return -1;
        Pattern p;
        if (label.length() == 1 && Character.isUpperCase(label.charAt(0))) {
            String l = Pattern.quote(label);
            // A bare letter counts only when it stands alone ("B", "B." or "B:"), so "A good question" is not (A).
            p = Pattern.compile("\\(" + l + "\\)|(?<![A-Za-z])" + l + "\\)|^\\s*" + l + "(?=\\s*$|[.:,])");
        } else {
            p = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(label) + "(?![\\p{L}\\p{N}])",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        }
        Matcher m = p.matcher(text);
        return m.find() ? m.start() : -1;
    }

    /** The numbers as a list, the form the store and the log keep. */
    public static List<Double> list(double[] xs) {
        List<Double> out = new ArrayList<>(xs.length);
        for (double x : xs) out.add(x);
        return out;
    }

    /**
     * Reads a list of numbers back from a transcript's output: Numbers as solved, or, read back from a
     * run log, Numbers and the string "NaN" (how the log writes NaN). Null if it is not a list.
     */
    public static double[] numbers(Object value) {
        if (!(value instanceof List<?> list)) return null;
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object o = list.get(i);
            out[i] = o instanceof Number n ? n.doubleValue() : Double.parseDouble(o.toString());
        }
        return out;
    }
}
