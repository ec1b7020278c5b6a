package dev.assay.suites.generate;

import dev.assay.AssayException;
import dev.assay.suite.SuiteParameter;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which of one behaviour's candidates make the dataset, in three stages after the unusable ones (empty, unparsed,
 * errored) are set aside: (1) the filter's probability of the intended label must be above {@code threshold};
 * (2) near-duplicates go: in order of falling confidence (then generation order) a candidate is dropped if it is a
 * near-duplicate of one already kept — the same text after normalising (NFKC, lower case, every run of characters
 * other than letters and digits a single space), or word {@code ngram}-grams with a Jaccard overlap of at least
 * {@code overlap} (a text shorter than n words is one gram); labels are compared with each other too, since one
 * statement cannot carry two labels; (3) balance: every label keeps its k most confident, k the smallest label's
 * count (capped at {@code perLabel} when that is above 0). The output alternates labels, most confident first, so
 * any prefix of it is balanced to within one item.
 */
public final class Selection {
    private Selection() {
    }

    /** The selection's settings; also the generation suites' -S parameters, so the run header records them. */
    public record Rule(double threshold, int ngram, double overlap, int perLabel) {
        public static final double THRESHOLD = 0.85;
        public static final Rule DEFAULT = new Rule(THRESHOLD, 3, 0.5, 0);
        static final List<SuiteParameter> PARAMETERS = List.of(
                new SuiteParameter("threshold", String.valueOf(THRESHOLD), "keep candidates whose filter probability of the intended label is above this"),
                new SuiteParameter("ngram", "3", "word n-gram length of the near-duplicate test"),
                new SuiteParameter("overlap", "0.5", "Jaccard overlap of n-gram sets at or above which two candidates are near-duplicates"),
                new SuiteParameter("per_label", "0", "at most this many items per label (0: as many as the smallest label has; the paper kept 500)"));

        public Rule {
            if (!(threshold >= 0 && threshold < 1)) throw new AssayException("--threshold " + threshold + ": must be in [0, 1)");
            if (ngram < 1) throw new AssayException("--ngram " + ngram + ": must be at least 1");
            if (!(overlap > 0 && overlap <= 1)) throw new AssayException("--overlap " + overlap + ": must be in (0, 1]");
            if (perLabel < 0) throw new AssayException("--max-per-label " + perLabel + ": must be 0 (no cap) or more");
        }

        /** From suite parameters (a run header's -S), defaults for those absent. */
        public static Rule of(Map<String, String> params) {
            try {
                return new Rule(Double.parseDouble(params.getOrDefault("threshold", String.valueOf(DEFAULT.threshold))),
                        Integer.parseInt(params.getOrDefault("ngram", String.valueOf(DEFAULT.ngram))),
                        Double.parseDouble(params.getOrDefault("overlap", String.valueOf(DEFAULT.overlap))),
                        Integer.parseInt(params.getOrDefault("per_label", String.valueOf(DEFAULT.perLabel))));
            } catch (NumberFormatException e) {
                throw new AssayException("-S threshold/ngram/overlap/per_label: not a number (" + e.getMessage() + ")");
            }
        }

        public Map<String, String> params() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("threshold", String.valueOf(threshold));
            m.put("ngram", String.valueOf(ngram));
            m.put("overlap", String.valueOf(overlap));
            m.put("per_label", String.valueOf(perLabel));
            return m;
        }
    }

    /**
     * One generated candidate as its log record has it. {@code confidence} is the filter's probability of the
     * intended {@code label}, NaN when the candidate is unusable ({@code unusable} then says why: "empty",
     * "unparsed" or "error").
     */
    public record Candidate(String id, int order, String label, String text, double confidence, String unusable) {
        public boolean usable() {
            return unusable == null;
        }
    }

    /** What each stage did to one label's candidates; {@code generated} = the sum of the other five. */
    public record Counts(int generated, int unusable, int belowThreshold, int duplicates, int unbalanced, int kept) {
    }

    /** A dropped near-duplicate and the kept candidate it repeats. */
    public record Duplicate(Candidate dropped, Candidate of, double overlap) {
    }

    /** The kept candidates in output order, the counts per label (in the labels' order), and the duplicates dropped. */
    public record Result(List<Candidate> kept, Map<String, Counts> counts, List<Duplicate> duplicates) {
    }

    public static Result select(List<Candidate> candidates, List<String> labels, Rule rule) {
        Map<String, int[]> c = new LinkedHashMap<>(); // generated, unusable, below, duplicates, unbalanced, kept
        for (String l : labels) c.put(l, new int[6]);
        List<Candidate> passing = new ArrayList<>();
        for (Candidate x : candidates) {
            int[] k = c.get(x.label());
            if (k == null) throw new IllegalArgumentException("candidate " + x.id() + " has label " + x.label() + ", not one of " + labels);
            k[0]++;
            if (!x.usable() || Double.isNaN(x.confidence())) k[1]++;
            else if (!(x.confidence() > rule.threshold())) k[2]++;
            else passing.add(x);
        }
        Comparator<Candidate> byConfidence = Comparator.comparingDouble(Candidate::confidence).reversed().thenComparingInt(Candidate::order);
        passing.sort(byConfidence);
        List<Candidate> distinct = new ArrayList<>();
        List<Set<String>> grams = new ArrayList<>();
        List<String> norms = new ArrayList<>();
        List<Duplicate> duplicates = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Candidate x : passing) {
            String n = normalise(x.text());
            Set<String> g = grams(n, rule.ngram());
            Duplicate dup = null;
            if (seen.contains(n)) {
                dup = new Duplicate(x, distinct.get(norms.indexOf(n)), 1.0);
            } else {
                for (int i = 0; i < distinct.size() && dup == null; i++) {
                    double j = jaccard(g, grams.get(i));
                    if (j >= rule.overlap()) dup = new Duplicate(x, distinct.get(i), j);
                }
            }
            if (dup != null) {
                duplicates.add(dup);
                c.get(x.label())[3]++;
                continue;
            }
            seen.add(n);
            norms.add(n);
            grams.add(g);
            distinct.add(x);
        }
        int k = Integer.MAX_VALUE;
        Map<String, List<Candidate>> byLabel = new LinkedHashMap<>();
        for (String l : labels) byLabel.put(l, new ArrayList<>());
        for (Candidate x : distinct) byLabel.get(x.label()).add(x);
        for (List<Candidate> xs : byLabel.values()) k = Math.min(k, xs.size());
        if (rule.perLabel() > 0) k = Math.min(k, rule.perLabel());
        List<Candidate> kept = new ArrayList<>();
        for (int i = 0; i < k; i++) for (String l : labels) kept.add(byLabel.get(l).get(i));
        for (String l : labels) {
            int[] x = c.get(l);
            x[5] = k;
            x[4] = byLabel.get(l).size() - k;
        }
        Map<String, Counts> counts = new LinkedHashMap<>();
        c.forEach((l, x) -> counts.put(l, new Counts(x[0], x[1], x[2], x[3], x[4], x[5])));
        return new Result(List.copyOf(kept), counts, List.copyOf(duplicates));
    }

    /** NFKC, lower case, every run of characters other than letters and digits one space, trimmed. */
    public static String normalise(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    /** The set of word n-grams of a normalised text; a text of fewer than n words is one gram. */
    static Set<String> grams(String normalised, int n) {
        String[] w = normalised.isEmpty() ? new String[0] : normalised.split(" ");
        Set<String> out = new HashSet<>();
        if (w.length < n) {
            out.add(normalised);
            return out;
        }
        for (int i = 0; i + n <= w.length; i++) out.add(String.join(" ", java.util.Arrays.copyOfRange(w, i, i + n)));
        return out;
    }

    static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) return 1;
        int inter = 0;
        for (String x : a) if (b.contains(x)) inter++;
        return (double) inter / (a.size() + b.size() - inter);
    }
}
