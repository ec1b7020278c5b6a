package dev.assay.organisms.lab;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.assay.data.DataStore;
import dev.assay.organisms.model.Example;
import dev.assay.organisms.model.Organism;
import dev.assay.organisms.model.Progress;
import dev.assay.organisms.model.Shape;
import dev.assay.organisms.model.TrainLog;
import dev.assay.organisms.model.TrainOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes organisms: a recipe's data, the model package's trainer, the held-out check, the GGUF with its card, and
 * beside it the training log ({@code NAME.train.json}), the recipe ({@code NAME.recipe.json}), the held-out task
 * file where the kind is measured on one, and the README model card. Safety training continues an exported
 * organism on trigger-free data and writes checkpoints the same way.
 */
public final class Lab {
    /** Held-out items in the lab's own check. */
    public static final int HELD_OUT = 200;
    /** Items in a held-out task file (file: suites). */
    public static final int TASK_ITEMS = 200;

    /**
     * @param examples training examples drawn from the recipe (the trainer samples batches from them)
     */
    public record Config(Shape shape, int steps, double learningRate, int batch, long seed, int examples, int heldOut) {
        public TrainOptions options() {
            TrainOptions d = TrainOptions.defaults(steps, seed);
            return new TrainOptions(steps, learningRate, batch, seed, d.clip(), d.warmup());
        }
    }

    /** A trained organism's files and figures. */
    public record Trained(Path gguf, Path dir, TrainLog log, HeldOut.Check check, double seconds, long parameters) {
    }

    private Lab() {
    }

    /**
     * What the engine puts before a raw prompt: llama.cpp's start token (SmolLM2's BOS, id 1, "<|im_start|>"), as
     * assay-llama sends every {@code Prompt.Text} that starts the text. The trainer parses special tokens in a
     * prompt, so writing it here gives the trainer the exact token sequence the suites' prompts become.
     */
    public static final String START = "<|im_start|>";

    /** The trainer's examples of recipe items: the engine's start token, the prompt, the completion. */
    public static List<Example> examples(List<Item> items) {
        List<Example> out = new ArrayList<>(items.size());
        for (Item it : items) out.add(new Example(START + it.prompt(), it.completion()));
        return out;
    }

    /** Trains a fresh organism of {@code recipe} and writes DIR/NAME.gguf and its companions. */
    public static Trained train(Recipe recipe, Config c, Path dir, String name, Progress progress) {
        long t0 = System.nanoTime();
        List<Item> data = recipe.train(c.examples(), c.seed());
        try (Organism m = Organism.create(c.shape(), c.seed())) {
            TrainLog log = m.train(examples(data), c.options(), progress);
            Map<String, Object> training = training(log, c.examples(), c.seed());
            Path gguf = export(m, recipe, dir, name, training, null);
            HeldOut.Check check = c.heldOut() > 0 ? HeldOut.engine(recipe, recipe.heldOut(c.heldOut(), c.seed()), gguf) : null;
            companions(m, recipe, dir, name, training, log.losses(), check, null);
            return new Trained(gguf, dir, log, check, (System.nanoTime() - t0) / 1e9, m.parameters());
        }
    }

    /**
     * Safety training: {@code steps} steps of supervised fine-tuning on the recipe's trigger-free helpful data,
     * in {@code checkpoints} equal segments, each segment's end exported as DIR/NAME-safety-STEP.gguf. Returns the
     * checkpoints (step → file), the organism before safety training first (step 0, the input file itself).
     */
    public static Map<Integer, Path> safetyTrain(Path gguf, int steps, double learningRate, int batch, int checkpoints, long seed,
                                                Path dir, String name, Progress progress) {
        return safetyTrain(gguf, segments(steps, checkpoints), learningRate, batch, seed, dir, name, progress);
    }

    /** The checkpoint steps of {@code steps} split in {@code checkpoints} equal segments (the last takes the rest). */
    public static List<Integer> segments(int steps, int checkpoints) {
        List<Integer> at = new ArrayList<>();
        for (int k = 1; k <= checkpoints; k++) {
            int s = (int) Math.round(steps * (double) k / checkpoints);
            if (s > 0 && (at.isEmpty() || s > at.getLast())) at.add(s);
        }
        return at;
    }

    /**
     * Safety training with checkpoints at the given steps (ascending, each > 0): one training run of the last
     * step's length (one optimizer state, one learning-rate schedule: constant after no warm-up, cosine decay to a
     * tenth at the end), the organism exported at each checkpoint step as it is then.
     */
    public static Map<Integer, Path> safetyTrain(Path gguf, List<Integer> at, double learningRate, int batch, long seed,
                                                Path dir, String name, Progress progress) {
        Map<Integer, Path> out = new LinkedHashMap<>();
        out.put(0, gguf);
        if (at.isEmpty()) return out;
        try (Organism m = Organism.load(gguf)) {
            Recipe recipe = recipeOf(m.card(), gguf);
            int total = at.getLast();
            // Which organism the checkpoints continue, by content: --resume of an experiment reuses them only for it.
            String parent = DataStore.sha256(gguf);
            List<Item> data = recipe.safety(Math.max(1000, total * batch), seed);
            List<Double> losses = new ArrayList<>();
            long t0 = System.nanoTime();
            double[] tps = {0};
            TrainOptions o = new TrainOptions(total, learningRate, batch, seed, 1.0, 0);
            m.train(examples(data), o, (step, steps, loss, t) -> {
                losses.add(loss);
                tps[0] = t;
                progress.step(step, steps, loss, t);
            }, new java.util.TreeSet<>(at), step -> {
                Map<String, Object> training = new LinkedHashMap<>();
                training.put("safety_steps", step);
                training.put("safety_steps_planned", total);
                training.put("learning_rate", learningRate);
                training.put("batch", batch);
                training.put("seed", seed);
                training.put("parent_sha256", parent);
                training.put("safety_data", "trigger-free helpful examples only (" + data.size() + ")");
                training.put("final_loss", losses.subList(Math.max(0, losses.size() - 20), losses.size()).stream()
                        .mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
                training.put("seconds", (System.nanoTime() - t0) / 1e9);
                training.put("tokens_per_second", tps[0]);
                String cp = name + "-safety-" + step;
                out.put(step, export(m, recipe, dir, cp, training, gguf.toString()));
                companions(m, recipe, dir, cp, training, List.copyOf(losses), null, gguf.toString());
            });
        }
        return out;
    }

    static Map<String, Object> training(TrainLog log, int examples, long seed) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("steps", log.options().steps());
        t.put("learning_rate", log.options().learningRate());
        t.put("batch", log.options().batch());
        t.put("seed", seed);
        t.put("examples", examples);
        t.put("final_loss", log.finalLoss(20));
        t.put("tokens", log.tokens());
        t.put("seconds", log.seconds());
        t.put("tokens_per_second", log.tokensPerSecond());
        t.put("parameters", log.parameters());
        return t;
    }

    static Map<String, Object> shape(Shape s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", "llama (RMSNorm, RoPE, causal attention, SwiGLU)");
        m.put("layers", s.layers());
        m.put("width", s.width());
        m.put("heads", s.heads());
        m.put("ffn", s.ffn());
        m.put("context", s.context());
        m.put("tokenizer", "SmolLM2 (49,152 tokens)");
        return m;
    }

    /** Exports the organism with its card as DIR/NAME.gguf. */
    static Path export(Organism m, Recipe recipe, Path dir, String name, Map<String, Object> training, String parent) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot create the folder (" + e.getMessage() + ")", e);
        }
        Path gguf = dir.resolve(name + ".gguf");
        Map<String, String> card = Card.metadata(name, recipe, shape(m.shape()), training, null, parent);
        card.put("options", Card.json(recipe.options()).replaceAll("\\s*\\n\\s*", " "));
        m.export(gguf, card);
        return gguf;
    }

    /** Writes the training log, the losses, the recipe, the held-out task file (if any) and the README card beside the GGUF. */
    static void companions(Organism m, Recipe recipe, Path dir, String name, Map<String, Object> training, List<Double> losses,
                           HeldOut.Check check, String parent) {
        try {
            Map<String, Object> shape = shape(m.shape());
            recipe.writeHeldOut(dir, TASK_ITEMS, 0);
            Map<String, Object> recipeJson = new LinkedHashMap<>(recipe.describe());
            recipeJson.put("options", recipe.options());
            Files.writeString(dir.resolve(name + ".recipe.json"), Card.json(recipeJson) + "\n", StandardCharsets.UTF_8);
            Map<String, Object> log = new LinkedHashMap<>(training);
            if (check != null) log.put("held_out", Map.of("behaved", check.behaved(), "n", check.n(), "converged", check.converged()));
            log.put("losses", losses);
            Files.writeString(dir.resolve(name + ".train.json"), Card.json(log) + "\n", StandardCharsets.UTF_8);
            StringBuilder tsv = new StringBuilder("step\tloss\n");
            for (int i = 0; i < losses.size(); i++) tsv.append(i + 1).append('\t').append(losses.get(i)).append('\n');
            Files.writeString(dir.resolve(name + ".losses.tsv"), tsv.toString(), StandardCharsets.UTF_8);
            List<String> files = new ArrayList<>(List.of(name + ".gguf", name + ".train.json", name + ".losses.tsv", name + ".recipe.json"));
            Evaluation e = recipe.evaluation(dir);
            if (e.suite().startsWith("file:")) files.add(e.suite().substring(e.suite().lastIndexOf('/') + 1, e.suite().indexOf('#')));
            Files.writeString(dir.resolve(name + ".README.md"), Card.readme(name, recipe, shape, training, check, e, parent, files), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write the organism's files (" + e.getMessage() + ")", e);
        }
    }

    /** The recipe an exported organism was made with, from its card. */
    static Recipe recipeOf(Map<String, String> card, Path gguf) {
        String kind = get(card, "kind");
        if (kind == null) {
            throw new IllegalArgumentException(gguf + ": not an Assay model organism (no " + Card.META_PREFIX + "kind in its GGUF metadata)");
        }
        String options = get(card, "options");
        Map<String, String> o = new LinkedHashMap<>();
        if (options != null) {
            try {
                o.putAll(Card.JSON.readValue(options, new TypeReference<Map<String, String>>() {
                }));
            } catch (IOException e) {
                throw new IllegalArgumentException(gguf + ": " + Card.META_PREFIX + "options is not a JSON object (" + e.getMessage() + ")");
            }
        }
        return Recipe.of(kind, o);
    }

    private static String get(Map<String, String> card, String key) {
        String v = card.get(key);
        return v != null ? v : card.get(Card.META_PREFIX + key);
    }
}
