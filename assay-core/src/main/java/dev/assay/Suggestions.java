package dev.assay;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean": the known names nearest a mistyped one by edit distance (Damerau–Levenshtein, a swap of
 * two neighbours counting one), for suites, commands, options, metrics and run-file keys. A name is offered
 * only when it is close enough to be a plausible typo: within a third of the typed length (at least 2 edits),
 * or when one name contains the other.
 */
public final class Suggestions {
    private Suggestions() {
    }

    /** Up to {@code max} candidates nearest {@code typed}, nearest first (ties alphabetical); none when none is close. */
    public static List<String> nearest(String typed, Collection<String> candidates, int max) {
        String t = typed.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, t.length() / 3);
        record Scored(String name, int distance) {
        }
        return candidates.stream().distinct()
                .map(c -> {
                    String lc = c.toLowerCase(Locale.ROOT);
                    int d = distance(t, lc);
                    // "power" for "mwe/persona/desire-for-power": a fragment of a long name is worth offering.
                    if (d > limit && t.length() >= 4 && lc.contains(t)) d = limit;
                    return new Scored(c, d);
                })
                .filter(s -> s.distance() <= limit && !s.name().equals(typed))
                .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
                .limit(max).map(Scored::name).toList();
    }

    /** "; did you mean: a, b?" or "" when nothing is near. */
    public static String didYouMean(String typed, Collection<String> candidates) {
        List<String> near = nearest(typed, candidates, 3);
        return near.isEmpty() ? "" : "; did you mean: " + String.join(", ", near) + "?";
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
