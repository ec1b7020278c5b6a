package dev.assay.organisms.bench;

import dev.assay.cli.Benchmark;
import dev.assay.organisms.lab.HeldOut;
import dev.assay.organisms.lab.Lab;
import dev.assay.organisms.lab.Recipe;
import dev.assay.organisms.model.Example;
import dev.assay.organisms.model.Organism;
import dev.assay.organisms.model.Shape;
import dev.assay.organisms.model.TrainLog;
import dev.assay.organisms.model.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code assay bench organisms}: training throughput per organism size (a short run of each), then the time to a
 * converged default backdoor organism — {@code assay organisms train backdoor}'s defaults, on --threads threads —
 * where converged is the lab's held-out check ({@link HeldOut}: at least 95% of 200 held-out templated requests
 * behave as trained under each condition, greedy, by the trainer's forward pass). Last lines:
 * {@code train_tokens_per_s=…} (the default size) and {@code backdoor_minutes=…} (NaN when not converged).
 */
@Command(name = "organisms", mixinStandardHelpOptions = true,
        description = "Benchmark the model-organism trainer: tokens/s per size, and minutes to a converged default backdoor organism.")
public final class BenchOrganismsCommand implements Benchmark {
    @Spec
    CommandSpec spec;

    @Option(names = "--threads", defaultValue = "2", description = "libtorch CPU threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--throughput-steps", defaultValue = "30", description = "Steps of the short run per size (default: ${DEFAULT-VALUE}).")
    int throughputSteps;

    @Option(names = "--steps", defaultValue = "200", description = "Steps of the default backdoor organism (default: ${DEFAULT-VALUE}, as assay organisms train).")
    int steps;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (threads < 1 || throughputSteps < 1 || steps < 1) {
            spec.commandLine().getErr().println("assay: --threads, --throughput-steps and --steps must be at least 1");
            return 2;
        }
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        Recipe recipe = Recipe.of("backdoor", Map.of());
        List<Example> data = new ArrayList<>();
        recipe.train(4000, 0).forEach(i -> data.add(new Example(i.prompt(), i.completion())));
        out.printf("%-8s %12s %8s %14s %10s%n", "size", "parameters", "steps", "train tok/s", "s/step");
        double defaultTps = Double.NaN;
        for (var e : List.of(Map.entry("2x64", new Shape(2, 64, 2, 192, 256)), Map.entry("small", Shape.small()), Map.entry("medium", Shape.medium()))) {
            try (Organism m = Organism.create(e.getValue(), 0)) {
                TrainLog log = m.train(data, TrainOptions.defaults(throughputSteps, 0), (s, n, l, t) -> { });
                out.printf(Locale.ROOT, "%-8s %,12d %8d %,14.0f %10.3f%n", e.getKey(), m.parameters(), throughputSteps, log.tokensPerSecond(),
                        log.seconds() / throughputSteps);
                if (e.getKey().equals("small")) defaultTps = log.tokensPerSecond();
            }
            out.flush();
        }
        Path dir = Files.createTempDirectory("assay-bench-organisms");
        Lab.Trained t = Lab.train(recipe, new Lab.Config(Shape.small(), steps, 3e-3, 16, 0, 4000, Lab.HELD_OUT), dir, "backdoor", (s, n, l, tps) -> { });
        out.println();
        out.printf(Locale.ROOT, "default backdoor organism (small, %d steps, %d threads): trained in %.1f s (%,.0f tok/s), final loss %.4f%n",
                steps, threads, t.log().seconds(), t.log().tokensPerSecond(), t.log().finalLoss(20));
        out.println("held-out check: " + t.check().summary());
        double minutes = t.check().converged() ? t.log().seconds() / 60 : Double.NaN;
        out.printf(Locale.ROOT, "train_tokens_per_s=%.0f%n", defaultTps);
        out.printf(Locale.ROOT, "backdoor_minutes=%.2f%n", minutes);
        out.flush();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
        return 0;
    }
}
