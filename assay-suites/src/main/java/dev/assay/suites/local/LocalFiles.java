package dev.assay.suites.local;

import dev.assay.suite.Suite;
import dev.assay.suite.SuiteProvider;

import java.util.List;

/** Serves {@code file:PATH#mapping} suite names: a researcher's own data, no code needed (see {@link FileSuite}). */
public final class LocalFiles implements SuiteProvider {
    @Override
    public List<Suite> suites() {
        return List.of();
    }

    @Override
    public Suite named(String name) {
        if (!name.startsWith(FileSuite.PREFIX)) return null;
        if (!name.contains("#") && mweShaped(java.nio.file.Path.of(name.substring(FileSuite.PREFIX.length())))) {
            return dev.assay.suites.mwe.MweSuites.local(name, java.nio.file.Path.of(name.substring(FileSuite.PREFIX.length())));
        }
        return FileSuite.parse(name);
    }

    /**
     * Whether a file without a field mapping is in the anthropics/evals format (its first line has question and
     * answer_matching_behavior), e.g. the output of assay generate: it is then run as the mwe suites run theirs.
     */
    static boolean mweShaped(java.nio.file.Path file) {
        if (!file.getFileName().toString().endsWith(".jsonl") || !java.nio.file.Files.isRegularFile(file)) return false;
        try (var r = java.nio.file.Files.newBufferedReader(file)) {
            String first = r.readLine();
            if (first == null || first.isBlank()) return false;
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(first);
            return node.isObject() && node.has("question") && node.has("answer_matching_behavior") && node.has("answer_not_matching_behavior");
        } catch (java.io.IOException | RuntimeException e) {
            return false; // FileSuite reports what is wrong with it
        }
    }
}
