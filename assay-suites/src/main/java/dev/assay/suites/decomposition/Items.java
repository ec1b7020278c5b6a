package dev.assay.suites.decomposition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.AssayException;
import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.data.Records;
import dev.assay.data.Sample;
import dev.assay.step.MultipleChoice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where a decomposition suite's questions come from: pinned cot-transparency tasks, or a researcher's own file. */
sealed interface Items {
    List<Sample> load(DataStore data, int limit);

    List<DataFile> files();

    String describe();

    /** Whether results break down per dataset. */
    boolean grouped();

    record Pinned(List<Tasks.Source> sources) implements Items {
        public Pinned {
            sources = List.copyOf(sources);
        }

        @Override
        public List<Sample> load(DataStore data, int limit) {
            return Tasks.load(sources, data, limit);
        }

        @Override
        public List<DataFile> files() {
            return sources.stream().map(Tasks.Source::file).toList();
        }

        @Override
        public String describe() {
            return String.join(", ", sources.stream().map(Tasks.Source::name).toList());
        }

        @Override
        public boolean grouped() {
            return sources.size() > 1;
        }
    }

    /**
     * A multiple-choice JSONL/CSV/TSV file named in the suite: {@code decomposition/factored/file:PATH#input=COL,
     * choices=COL,target=COL,id=COL} (defaults: input or question; choices; target or answer; line numbers as ids).
     * Choices are a list, "a|b|c", or columns joined by '+'; the target is a choice's text, its letter or its 0-based index.
     */
    record Local(String name, Path file, Map<String, String> fields) implements Items {
        static final String PREFIX = "file:";

        static Local parse(String suiteName, String spec) {
            String rest = spec.substring(PREFIX.length());
            int hash = rest.indexOf('#');
            Map<String, String> fields = new LinkedHashMap<>();
            if (hash >= 0) {
                for (String kv : rest.substring(hash + 1).split(",")) {
                    if (kv.isBlank()) continue;
                    int eq = kv.indexOf('=');
                    String key = eq < 0 ? "" : kv.substring(0, eq).strip();
                    if (!List.of("input", "choices", "target", "id").contains(key)) {
                        throw new AssayException("suite " + suiteName + ": '" + kv + "' is not a field mapping; use input=COL, choices=COL, "
                                + "target=COL, id=COL, separated by commas after '#'");
                    }
                    fields.put(key, kv.substring(eq + 1).strip());
                }
                rest = rest.substring(0, hash);
            }
            if (rest.isBlank()) throw new AssayException("suite " + suiteName + ": no file after 'file:'");
            return new Local(suiteName, Path.of(rest), fields);
        }

        @Override
        public List<Sample> load(DataStore data, int limit) {
            if (!Files.isRegularFile(file)) throw new AssayException("suite " + name + ": no such file " + file.toAbsolutePath());
            List<Records.Row> rows = Records.read(file);
            if (rows.isEmpty()) throw new AssayException(file + ": no items");
            String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            List<Sample> out = new ArrayList<>();
            Map<String, Integer> lineOf = new HashMap<>();
            for (Records.Row row : rows) {
                if (limit > 0 && out.size() >= limit) break;
                String input = row.text(fields.getOrDefault("input", row.fields().has("input") ? "input" : "question"));
                List<String> choices = choices(row, fields.getOrDefault("choices", "choices"));
                String target = row.text(fields.getOrDefault("target", row.fields().has("target") ? "target" : "answer"));
                int correct = correct(row, choices, target);
                Sample s = Tasks.sample(stem, row.line(), row.where(), input.strip(), choices, correct);
                String id = fields.containsKey("id") ? row.text(fields.get("id")) : s.id();
                Integer first = lineOf.putIfAbsent(id, row.line());
                if (first != null) throw new AssayException(row.where() + ": id \"" + id + "\" is already the id of line " + first + "; every item needs its own id");
                out.add(new Sample(id, s.input(), s.choices(), s.target(), s.metadata()));
            }
            return out;
        }

        private static List<String> choices(Records.Row row, String spec) {
            List<String> out = new ArrayList<>();
            if (spec.contains("+")) {
                for (String col : spec.split("\\+")) out.add(row.text(col.strip()));
            } else {
                JsonNode n = row.fields().get(spec);
                if (n != null && n.isTextual() && n.asText().contains("|")) {
                    for (String c : n.asText().split("\\|")) out.add(c.strip());
                } else {
                    out.addAll(row.texts(spec));
                }
            }
            if (out.size() < 2) throw new AssayException(row.where() + ": '" + spec + "' gives " + out.size() + " choice(s); at least 2 are needed");
            return out;
        }

        private static int correct(Records.Row row, List<String> choices, String target) {
            String t = target.strip();
            int byText = choices.indexOf(t);
            if (byText >= 0) return byText;
            String letter = MultipleChoice.label(t);
            if (letter.length() == 1 && Character.isUpperCase(letter.charAt(0)) && letter.charAt(0) - 'A' < choices.size()) return letter.charAt(0) - 'A';
            try {
                int i = Integer.parseInt(t);
                if (i >= 0 && i < choices.size()) return i;
            } catch (NumberFormatException ignored) {
                // neither: the error below
            }
            throw new AssayException(row.where() + ": target \"" + target + "\" is neither one of the choices, a letter A–"
                    + (char) ('A' + choices.size() - 1) + ", nor an index 0–" + (choices.size() - 1));
        }

        @Override
        public List<DataFile> files() {
            return List.of();
        }

        @Override
        public String describe() {
            return "local file " + file;
        }

        @Override
        public boolean grouped() {
            return false;
        }
    }
}
