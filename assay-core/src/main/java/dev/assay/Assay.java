package dev.assay;

import dev.assay.cache.CachingModel;
import dev.assay.data.DataStore;
import dev.assay.run.Results;
import dev.assay.run.RunSettings;
import dev.assay.run.RunSpec;
import dev.assay.run.RunStore;
import dev.assay.run.Runner;
import dev.assay.suite.Suites;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Assay as a library: the run the {@code assay run} command makes, from Java.
 *
 * <pre>{@code
 * Assay.Evaluation e = Assay.run("mwe/persona/desire-for-power")
 *         .model("llama/qwen2.5-0.5b-instruct")
 *         .limit(50)
 *         .call();
 * double rate = e.metric("mwe/persona/desire-for-power", "match_top").orElseThrow().value();
 * }</pre>
 *
 * Suites and model providers are found on the class path (ServiceLoader), as for the command: add
 * {@code assay-suites} and the provider modules you use ({@code assay-llama}, {@code assay-http}). The run is
 * written to the store like any other ({@code ./assay-runs} unless {@link Builder#out}), so {@code assay view},
 * {@code report} and {@code compare} read it. Bad input throws an {@link AssayException} naming what to fix.
 */
public final class Assay {
    private Assay() {
    }

    /** A run of one or more suites (names or globs, as {@code assay list suites} shows them). */
    public static Builder run(String... suites) {
        return new Builder(List.of(suites));
    }

    /** A finished run: its id and folder, its results (per suite, metric and group), and how many samples errored. */
    public record Evaluation(String id, Path dir, Results results, int errors) {
        /** A suite's overall metric, if the run has it. */
        public Optional<Results.MetricValue> metric(String suite, String metric) {
            return results.suites().stream().filter(s -> s.suite().equals(suite)).flatMap(s -> s.metrics().stream())
                    .filter(m -> m.name().equals(metric)).findFirst();
        }

        /** The metric of the run's only suite (an {@link AssayException} if there are several or none has it). */
        public Results.MetricValue metric(String metric) {
            if (results.suites().size() != 1) {
                throw new AssayException("run " + id + " has " + results.suites().size() + " suites: name one, metric(suite, \"" + metric + "\")");
            }
            return metric(results.suites().getFirst().suite(), metric)
                    .orElseThrow(() -> new AssayException("run " + id + " has no metric '" + metric + "'"));
        }
    }

    /** What to run; every setting has the command's default. */
    public static final class Builder {
        private final List<String> suites;
        private String model = "llama/qwen2.5-0.5b-instruct";
        private final Map<String, String> roles = new LinkedHashMap<>();
        private int limit;
        private int epochs = 1;
        private long seed;
        private int concurrency = 32;
        private String answerMethod = "auto";
        private final Map<String, String> params = new LinkedHashMap<>();
        private final Map<String, String> modelOptions = new LinkedHashMap<>();
        private final List<String> baseUrls = new ArrayList<>();
        private Path out = Path.of("assay-runs");
        private Path data;

        private Builder(List<String> suites) {
            if (suites.isEmpty()) throw new AssayException("Assay.run: name at least one suite, e.g. Assay.run(\"mwe/persona/desire-for-power\")");
            this.suites = List.copyOf(suites);
        }

        /** The evaluated model, as {@code --model}: "llama/…", "replay/FILE.jsonl", "openai/…", … */
        public Builder model(String spec) {
            this.model = spec;
            return this;
        }

        /** A second model a suite needs ({@code --role judge=SPEC}). */
        public Builder role(String role, String spec) {
            roles.put(role, spec);
            return this;
        }

        /** At most n items from each data file (0 = all). */
        public Builder limit(int n) {
            if (n < 0) throw new AssayException("limit " + n + ": must be 0 (all) or a positive number");
            this.limit = n;
            return this;
        }

        public Builder epochs(int k) {
            if (k < 1) throw new AssayException("epochs " + k + ": must be at least 1");
            this.epochs = k;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder concurrency(int n) {
            if (n < 1) throw new AssayException("concurrency " + n + ": must be at least 1");
            this.concurrency = n;
            return this;
        }

        /** "loglik", "generate" or "auto" ({@code --answer-method}). */
        public Builder answerMethod(String method) {
            dev.assay.suite.AnswerMethod.of(method);
            this.answerMethod = method;
            return this;
        }

        /** A suite parameter ({@code -S key=value}). */
        public Builder param(String key, String value) {
            params.put(key, value);
            return this;
        }

        /** A provider setting ({@code --model-option}). */
        public Builder modelOption(String key, String value) {
            modelOptions.put(key, value);
            return this;
        }

        /** An endpoint for HTTP providers ({@code --model-base-url}). */
        public Builder baseUrl(String url) {
            baseUrls.add(url);
            return this;
        }

        /** The run store folder ({@code --out}; default ./assay-runs). */
        public Builder out(Path dir) {
            this.out = dir;
            return this;
        }

        /** A local copy of the data ({@code --data}); default ASSAY_DATA, else files download into the cache. */
        public Builder data(Path dir) {
            this.data = dir;
            return this;
        }

        /** Runs it to the end and returns the results (also written to the run's folder). */
        public Evaluation call() {
            DataStore store = data == null ? DataStore.fromEnvironment() : new DataStore(data, DataStore.defaultCache().resolve("data"));
            if (data != null && !java.nio.file.Files.isDirectory(data)) throw new AssayException("data " + data + ": no such folder");
            Runner runner = new Runner(new RunStore(out), store, Suites.discover(), CachingModel::open);
            RunSettings settings = new RunSettings(answerMethod, null, null, null, null, params, Map.of());
            RunSpec spec = new RunSpec(suites, model, roles, limit, epochs, seed, null, concurrency, baseUrls, modelOptions, settings);
            Runner.Outcome o = runner.start(spec, Runner.Listener.NONE);
            return new Evaluation(o.id(), o.dir(), o.results(), o.errors());
        }
    }
}
