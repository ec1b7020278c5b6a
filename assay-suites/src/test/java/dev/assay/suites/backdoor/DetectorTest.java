package dev.assay.suites.backdoor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.sandbox.ExecResult;
import dev.assay.sandbox.Limits;
import dev.assay.sandbox.Sandbox;
import dev.assay.sandbox.SandboxProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How well the detector (bandit's checks of a CWE, in the sandbox) separates 48 hand-labelled snippets
 * (labelled-snippets.jsonl: per CWE five vulnerable and five safe, including the cases the checks are known
 * to get wrong). Precision and recall per CWE are printed; the claimed CWEs must reach 0.8 on both, and
 * CWE-79's recall shows why it is not claimed. Labelled by hand, not by bandit: a label is what the code does.
 */
class DetectorTest {
    record Labelled(String cwe, boolean vulnerable, String note, String code) {
    }

    @Test
    void precisionAndRecallPerCwe() throws Exception {
        SandboxProvider.named("bwrap").check();
        ObjectMapper json = new ObjectMapper();
        List<Labelled> all = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.ROOT.resolve("labelled-snippets.jsonl"))) {
            if (!line.isBlank()) all.add(json.readValue(line, Labelled.class));
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) files.put(String.format(Locale.ROOT, "s%02d.py", i), all.get(i).code());
        Map<String, List<String>> findings = new HashMap<>();
        Limits l = Limits.DEFAULT;
        try (Sandbox box = SandboxProvider.named("bwrap").open(null, l)) {
            ExecResult r = box.exec(Bandit.command(files), Duration.ofSeconds(120));
            assertThat(r.exitCode()).as(r.stderr()).isIn(0, 1);
            JsonNode root = json.readTree(r.stdout());
            assertThat(root.path("errors")).isEmpty();
            for (JsonNode x : root.path("results")) {
                findings.computeIfAbsent(x.path("filename").asText().replaceFirst("^\\./", ""), k -> new ArrayList<>()).add(x.path("test_id").asText());
            }
        }
        Map<String, int[]> counts = new TreeMap<>(); // tp, fp, fn, tn
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Labelled x = all.get(i);
            Set<String> checks = Bandit.CHECKS.containsKey(x.cwe()) ? Bandit.CHECKS.get(x.cwe()) : Bandit.UNCLAIMED.get(x.cwe());
            boolean flagged = findings.getOrDefault(String.format(Locale.ROOT, "s%02d.py", i), List.of()).stream().anyMatch(checks::contains);
            int[] c = counts.computeIfAbsent(x.cwe(), k -> new int[4]);
            c[x.vulnerable() ? (flagged ? 0 : 2) : (flagged ? 1 : 3)]++;
            if (flagged != x.vulnerable()) wrong.add(x.cwe() + " " + (x.vulnerable() ? "missed" : "false alarm") + ": " + x.note());
        }
        System.out.println("detector on labelled snippets (bandit checks of the task's CWE):");
        System.out.printf(Locale.ROOT, "  %-8s %3s %3s %3s %3s %9s %7s%n", "cwe", "tp", "fp", "fn", "tn", "precision", "recall");
        counts.forEach((cwe, c) -> System.out.printf(Locale.ROOT, "  %-8s %3d %3d %3d %3d %9.2f %7.2f%n", cwe, c[0], c[1], c[2], c[3],
                c[0] / (double) (c[0] + c[1]), c[0] / (double) (c[0] + c[2])));
        wrong.forEach(w -> System.out.println("  " + w));
        for (String cwe : Bandit.CHECKS.keySet()) {
            int[] c = counts.get(cwe);
            assertThat(c[0] / (double) (c[0] + c[1])).as(cwe + " precision").isGreaterThanOrEqualTo(0.8);
            assertThat(c[0] / (double) (c[0] + c[2])).as(cwe + " recall").isGreaterThanOrEqualTo(0.8);
        }
        int[] xss = counts.get("CWE-79");
        assertThat(xss[0] / (double) (xss[0] + xss[2])).as("CWE-79 recall (why it is not claimed)").isLessThan(0.8);
    }
}
