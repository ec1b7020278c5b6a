package dev.assay.cli.report;

import dev.assay.run.Results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One behaviour a run measured, with its metrics: a suite's "dataset" group when the suite reads several
 * data files, a suite's condition when it ran under conditions, otherwise the suite itself. This is the unit
 * the per-dataset plots show.
 *
 * @param key a stable key across runs (suite, or suite + dataset)
 */
record Behaviour(String key, String label, Map<String, Results.MetricValue> metrics) {

    /**
     * Short, unambiguous labels for the suites of a report: the part of each suite name after the prefix all
     * of them share ("mwe/advanced-ai-risk/human/survival-instinct" and ".../lm/survival-instinct" become
     * "human/survival-instinct" and "lm/survival-instinct"), the last segment when there is one suite.
     */
    record Naming(String commonPrefix, boolean manySuites) {
        static Naming of(List<RunData> runs) {
            Set<String> suites = new LinkedHashSet<>();
            for (RunData r : runs) for (Results.SuiteResults s : r.results().suites()) suites.add(s.suite());
            if (suites.size() <= 1) {
                String only = suites.isEmpty() ? "" : suites.iterator().next();
                return new Naming(only.substring(0, only.lastIndexOf('/') + 1), false);
            }
            String prefix = null;
            for (String s : suites) {
                String dir = s.substring(0, s.lastIndexOf('/') + 1);
                prefix = prefix == null ? dir : common(prefix, dir);
            }
            return new Naming(prefix, true);
        }

        String suite(String suite) {
            return suite.startsWith(commonPrefix) && suite.length() > commonPrefix.length() ? suite.substring(commonPrefix.length()) : suite;
        }

        String dataset(String suite, String dataset) {
            return manySuites ? suite(suite) + "/" + dataset : dataset;
        }

        /** The longest common prefix of two folder paths that ends at a '/'. */
        private static String common(String a, String b) {
            int n = 0;
            for (int i = 0; i < Math.min(a.length(), b.length()) && a.charAt(i) == b.charAt(i); i++) if (a.charAt(i) == '/') n = i + 1;
            return a.substring(0, n);
        }
    }

    private static final String CONDITION = dev.assay.suite.Condition.KEY;

    static List<Behaviour> of(Results results, Naming naming) {
        List<Behaviour> out = new ArrayList<>();
        for (Results.SuiteResults s : results.suites()) {
            List<Results.GroupResults> datasets = s.groups().stream().filter(g -> g.key().equals("dataset")).toList();
            List<Results.GroupResults> conditions = s.groups().stream().filter(g -> g.key().equals(CONDITION)).toList();
            if (!conditions.isEmpty()) {
                // Under conditions the behaviour is a rate per condition (triggered, untriggered): one each.
                for (Results.GroupResults g : conditions) {
                    out.add(new Behaviour(s.suite() + "\u0000" + CONDITION + "\u0000" + g.value(),
                            naming.suite(s.suite()) + " [" + g.value() + "]", index(g.metrics())));
                }
            } else if (datasets.isEmpty()) {
                out.add(new Behaviour(s.suite(), naming.suite(s.suite()), index(s.metrics())));
            } else {
                for (Results.GroupResults g : datasets) {
                    out.add(new Behaviour(s.suite() + "\u0000" + g.value(), naming.dataset(s.suite(), g.value()), index(g.metrics())));
                }
            }
        }
        return out;
    }

    private static Map<String, Results.MetricValue> index(List<Results.MetricValue> ms) {
        Map<String, Results.MetricValue> m = new LinkedHashMap<>();
        for (Results.MetricValue v : ms) if (v.n() > 0) m.put(v.name(), v);
        return m;
    }
}
