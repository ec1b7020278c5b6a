package dev.assay.organisms.cli;

import dev.assay.AssayException;
import dev.assay.organisms.lab.Lab;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code assay organisms safety-train MODEL.gguf}: supervised fine-tuning on trigger-free helpful data, with checkpoints. */
@Command(name = "safety-train", description = {"Continue training an organism on its recipe's trigger-free helpful data only (supervised",
        "fine-tuning, as Hubinger et al.'s HHH SFT), exporting a checkpoint after each of N equal segments as",
        "DIR/NAME-safety-STEP.gguf with its card. password-locked: questions without the password, answered right."})
public final class SafetyTrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.gguf", description = "An organism exported by 'assay organisms train'.")
    Path model;

    @Option(names = "--steps", defaultValue = "200", description = "Safety-training steps in all (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Learning rate of each segment (no warm-up, cosine decay; default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--batch", defaultValue = "16", description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--checkpoints", defaultValue = "4", description = "Checkpoints (equal segments of --steps; default: ${DEFAULT-VALUE}).")
    int checkpoints;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the data and batches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--out"}, description = "Folder for the checkpoints (default: the model's folder).")
    Path out;

    @Option(names = "--name", description = "Checkpoint name stem (default: the model's file name without .gguf).")
    String name;

    @Option(names = "--threads", defaultValue = "2", description = "libtorch CPU threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(model)) throw new AssayException("MODEL.gguf " + model + ": no such file");
        if (steps < 1) throw new AssayException("--steps " + steps + ": must be at least 1");
        if (!(lr > 0) || lr > 1) throw new AssayException("--lr " + lr + ": must be above 0 and at most 1");
        if (batch < 1) throw new AssayException("--batch " + batch + ": must be at least 1");
        if (checkpoints < 1 || checkpoints > steps) throw new AssayException("--checkpoints " + checkpoints + ": must be 1–" + steps + " (--steps)");
        if (threads < 1) throw new AssayException("--threads " + threads + ": must be at least 1");
        Path dir = out != null ? out : model.toAbsolutePath().getParent();
        String stem = name != null ? name : model.getFileName().toString().replaceFirst("\\.gguf$", "");
        if (!stem.matches("[A-Za-z0-9._-]+")) throw new AssayException("--name '" + stem + "': use letters, digits, '.', '_' and '-' only");
        Torch.configure(threads);
        Map<Integer, Path> saved;
        try {
            saved = Lab.safetyTrain(model, steps, lr, batch, checkpoints, seed, dir, stem, new TrainingBar(spec.commandLine().getErr(), "safety " + stem));
        } catch (IllegalArgumentException e) {
            throw new AssayException(e.getMessage());
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("safety-training steps  checkpoint");
        saved.forEach((s, p) -> o.printf("%21d  %s%n", s, p));
        o.flush();
        return 0;
    }
}
