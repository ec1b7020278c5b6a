package dev.assay.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.AssayException;
import dev.assay.ExitCode;
import dev.assay.run.RunHeader;
import dev.assay.run.RunLog;
import dev.assay.run.RunStore;
import dev.assay.run.SampleRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code assay export RUN --format csv|jsonl}: a run's per-sample scores for pandas, R or a spreadsheet, one row
 * per sample, epoch and score, with the item's target and metadata; an errored sample is one row with its error.
 * Read from samples.jsonl (the source of truth), so an interrupted run exports what it has.
 */
@Command(name = "export", sortOptions = false,
        description = {"Write a run's per-sample scores as CSV or JSON lines: one row per sample, epoch and score, "
                + "with the item's target and metadata (CSV: one column per metadata key).",
                "Columns: run, model, suite, id, epoch, method, score, value, target, error, then the metadata keys."},
        footer = {"", "Examples:", "  assay export 20261122-101500-3f2a --format csv -o scores.csv",
                "  assay export 20261122-101500-3f2a --format jsonl | jq 'select(.score == \"match_top\")'"})
public final class ExportCommand implements Callable<Integer> {
    enum Format { csv, jsonl }

    static final List<String> COLUMNS = List.of("run", "model", "suite", "id", "epoch", "method", "score", "value", "target", "error");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "The run: its id in --out, or its folder.")
    String run;

    @Option(names = "--format", paramLabel = "csv|jsonl", defaultValue = "csv", description = "csv (the default) or jsonl.")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @CommandLine.Mixin
    StoreOption store;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws IOException {
        dev.assay.store.StoredRun found = store.open().find(run);
        RunHeader header = found.header();
        List<SampleRecord> records = new ArrayList<>(found.records().values());
        List<Map<String, Object>> rows = rows(header, records);
        if (output == null) {
            write(spec.commandLine().getOut(), rows);
            spec.commandLine().getOut().flush();
        } else {
            try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                write(w, rows);
            } catch (IOException e) {
                throw new AssayException("-o " + output + ": cannot write (" + e.getMessage() + ")", e);
            }
            spec.commandLine().getErr().println("assay: wrote " + rows.size() + " rows to " + output);
        }
        return ExitCode.OK.code();
    }

    static List<Map<String, Object>> rows(RunHeader header, List<SampleRecord> records) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SampleRecord r : records) {
            Map<String, Double> scores = r.ok() ? new java.util.TreeMap<>(r.scores()) : Map.of();
            if (scores.isEmpty()) {
                rows.add(row(header, r, null, null));
            } else {
                scores.forEach((name, value) -> rows.add(row(header, r, name, value)));
            }
        }
        return rows;
    }

    private static Map<String, Object> row(RunHeader h, SampleRecord r, String score, Double value) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("run", h.id());
        row.put("model", h.spec().model());
        row.put("suite", r.suite());
        row.put("id", r.id());
        row.put("epoch", r.epoch());
        row.put("method", r.method());
        row.put("score", score);
        row.put("value", value == null || !Double.isFinite(value) ? null : value);
        row.put("target", r.target());
        row.put("error", r.error());
        row.put("metadata", r.metadata());
        return row;
    }

    private void write(Writer w, List<Map<String, Object>> rows) throws IOException {
        switch (format) {
            case jsonl -> {
                for (Map<String, Object> row : rows) w.write(JSON.writeValueAsString(row) + "\n");
            }
            case csv -> {
                TreeSet<String> keys = new TreeSet<>();
                for (Map<String, Object> row : rows) keys.addAll(metadata(row).keySet());
                keys.removeAll(COLUMNS); // a metadata key named like a column would be ambiguous: the column wins
                List<String> header = new ArrayList<>(COLUMNS);
                header.addAll(keys);
                w.write(csvLine(header));
                for (Map<String, Object> row : rows) {
                    List<String> cells = new ArrayList<>();
                    for (String c : COLUMNS) cells.add(text(row.get(c)));
                    for (String k : keys) cells.add(text(metadata(row).get(k)));
                    w.write(csvLine(cells));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> row) {
        return (Map<String, Object>) row.get("metadata");
    }

    /** A cell's text: numbers and strings as they are, lists and maps as JSON, null as empty. */
    private static String text(Object v) throws IOException {
        return switch (v) {
            case null -> "";
            case String s -> s;
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            default -> JSON.writeValueAsString(v);
        };
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
    static String csvLine(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append(',');
            String c = cells.get(i);
            if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        return sb.append("\r\n").toString();
    }
}
