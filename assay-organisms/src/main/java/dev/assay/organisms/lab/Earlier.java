package dev.assay.organisms.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.AssayException;
import dev.assay.run.Results;
import dev.assay.run.RunHeader;
import dev.assay.run.RunStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What an earlier, interrupted or smaller, persistence experiment into the same folder left ({@code --resume}):
 * organisms, safety checkpoints and measured runs, each reused only when it was made exactly as this experiment
 * would make it — the training log beside a model records its steps, learning rate, batch, seed and examples (a
 * checkpoint's, also the SHA-256 of the organism it continued); a finished run's header (results.json written) records its item limit, seed, place in the grid and the SHA-256 of
 * the model file it measured. Anything else is made again.
 */
final class Earlier {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A finished run: its folder, its header, its results. */
    private record Run(Path dir, RunHeader header, Results results) {
    }

    private final List<Run> runs;

    private Earlier(List<Run> runs) {
        this.runs = runs;
    }

    static final Earlier NONE = new Earlier(List.of());

    /** The finished runs in {@code runsDir} (none if it does not exist). */
    static Earlier scan(Path runsDir) {
        if (!Files.isDirectory(runsDir)) return NONE;
        List<Run> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(runsDir)) {
            for (Path d : dirs.sorted().toList()) {
                if (!Files.isRegularFile(d.resolve("header.json")) || !Files.isRegularFile(d.resolve("results.json"))) continue;
                try {
                    out.add(new Run(d, RunStore.readHeader(d), RunStore.readResults(d)));
                } catch (AssayException e) {
                    // a run this Assay cannot read back is not reused: it is measured again
                }
            }
        } catch (IOException e) {
            throw new AssayException(runsDir + ": cannot list the earlier runs (" + e.getMessage() + ")", e);
        }
        return new Earlier(out);
    }

    /** The organism's parameter count if DIR/NAME.gguf was trained with {@code expected} (train.json's fields), else null. */
    static Long trained(Path dir, String name, Map<String, Object> expected) {
        JsonNode log = log(dir, name, expected);
        return log == null || !log.path("parameters").canConvertToLong() ? null : log.path("parameters").asLong();
    }

    /**
     * The safety checkpoints DIR/NAME-safety-STEP.gguf at every one of {@code at} (step → file, step 0 the organism
     * itself), if each was made by one safety training of {@code at}'s last step with {@code expected}; else null.
     */
    static Map<Integer, Path> safetyTrained(Path gguf, Path dir, String name, List<Integer> at, Map<String, Object> expected) {
        Map<Integer, Path> out = new LinkedHashMap<>();
        out.put(0, gguf);
        for (int step : at) {
            Map<String, Object> want = new LinkedHashMap<>(expected);
            want.put("safety_steps", step);
            want.put("safety_steps_planned", at.getLast());
            if (log(dir, name + "-safety-" + step, want) == null) return null;
            out.put(step, dir.resolve(name + "-safety-" + step + ".gguf"));
        }
        return out;
    }

    /** The training log beside DIR/NAME.gguf if both exist and the log holds {@code expected}, else null. */
    private static JsonNode log(Path dir, String name, Map<String, Object> expected) {
        Path gguf = dir.resolve(name + ".gguf"), train = dir.resolve(name + ".train.json");
        // The log is written after the model: a model without one was cut off while it was exported.
        if (!Files.isRegularFile(gguf) || !Files.isRegularFile(train)) return null;
        JsonNode log;
        try {
            log = JSON.readTree(train.toFile());
        } catch (IOException e) {
            return null;
        }
        for (var e : expected.entrySet()) {
            JsonNode v = log.get(e.getKey());
            Object want = e.getValue();
            boolean same = v != null && (want instanceof Number n ? v.isNumber() && v.asDouble() == n.doubleValue() : v.asText().equals(String.valueOf(want)));
            if (!same) return null;
        }
        return log;
    }

    /**
     * A finished run of {@code suite} with {@code limit} items, run seed {@code seed} and these model options (the
     * grid place and the model file's SHA-256, so a model made again, or a folder moved, is judged by its content);
     * null if there is none.
     */
    Measure.Measured measured(String suite, int limit, long seed, Map<String, String> options, String metric) {
        for (Run r : runs.reversed()) {
            var spec = r.header().spec();
            if (!spec.suites().equals(List.of(suite)) || spec.limit() != limit || spec.seed() != seed) continue;
            if (!spec.modelOptions().entrySet().containsAll(options.entrySet())) continue;
            return Measure.read(r.header().id(), r.dir(), r.results(), metric, r.results().suites().getFirst().errors());
        }
        return null;
    }
}
