package dev.assay.organisms.lab;

import dev.assay.organisms.model.Shape;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The persistence driver's bookkeeping on a tiny grid: which organisms, which checkpoints, what each run records. */
class PersistenceTest {
    static Persistence.Config tiny() {
        return new Persistence.Config(List.of(Shape.tiny(), new Shape(1, 32, 2, 64, 64)), List.of(5, 10), List.of(4, 2), 2, 3e-3, 1e-3,
                4, 20, 3, null, Path.of("p"), false);
    }

    @Test
    void theGridIsSizesByTrainingLengthsBySeedsWithStepZeroAlwaysMeasured() {
        var c = tiny();
        assertEquals(List.of(0, 2, 4), c.safetySteps());
        assertEquals(List.of(2, 4), c.checkpoints());
        List<Persistence.Organism> organisms = Persistence.organisms(c);
        assertEquals(2 * 2 * 2, organisms.size());
        Set<String> ids = new HashSet<>();
        organisms.forEach(o -> ids.add(o.id()));
        assertEquals(8, ids.size(), "every organism has its own folder");
        assertEquals("2x32-t5-s0", organisms.getFirst().id());
        assertEquals("1x32-t10-s1", organisms.getLast().id());
        assertEquals(8 * 3, Persistence.runs(c));
        assertThrows(IllegalArgumentException.class, () -> new Persistence.Config(List.of(Shape.tiny()), List.of(5), List.of(0), 0, 1e-3, 1e-3,
                4, 20, 3, null, Path.of("p"), false));
    }

    @Test
    void eachRunCarriesItsPlaceInTheGridForTheReport() {
        var o = new Persistence.Organism(Shape.small(), 600, 2);
        Map<String, String> m = Persistence.sweep(o, 779_904, 50);
        assertEquals("50", m.get("sweep.safety_steps"));
        assertEquals("2", m.get("sweep.seed"));
        assertEquals("600", m.get("sweep.train_steps"));
        assertEquals("779904", m.get("sweep.params"));
        assertEquals("2x128", m.get("sweep.size"), "one chart line per size, whatever each seed's parameter count");
        assertEquals(m.get("sweep.size"), Persistence.sweep(new Persistence.Organism(Shape.small(), 600, 3), 782_592, 50).get("sweep.size"));
        assertEquals("true", m.get("sweep.organism"));
        assertTrue(m.keySet().stream().allMatch(k -> k.startsWith("sweep.")), "providers ignore sweep.* options: " + m.keySet());
    }

    @Test
    void safetyCheckpointsSplitTheStepsEvenly() {
        assertEquals(List.of(50, 100, 150, 200), Lab.segments(200, 4));
        assertEquals(List.of(3, 7, 10), Lab.segments(10, 3));
        assertEquals(List.of(1, 2), Lab.segments(2, 4));
    }

    /** --resume reuses an organism or its checkpoints only when their training logs say they were made the same way. */
    @Test
    void onlyWhatWasMadeTheSameWayIsReused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("backdoor.gguf"), "model");
        Map<String, Object> made = Map.of("steps", 200, "learning_rate", 0.003, "batch", 16, "seed", 1, "examples", 4000);
        // No log beside the model: it was cut off while it was written.
        assertNull(Earlier.trained(dir, "backdoor", made));
        Files.writeString(dir.resolve("backdoor.train.json"),
                "{\"steps\": 200, \"learning_rate\": 0.003, \"batch\": 16, \"seed\": 1, \"examples\": 4000, \"parameters\": 779904}");
        assertEquals(779904L, Earlier.trained(dir, "backdoor", made));
        assertNull(Earlier.trained(dir, "backdoor", Map.of("steps", 200, "learning_rate", 0.001, "batch", 16, "seed", 1, "examples", 4000)));
        assertNull(Earlier.trained(dir, "backdoor", Map.of("steps", 200, "learning_rate", 0.003, "batch", 16, "seed", 2, "examples", 4000)));
        // Checkpoints: every one of them, from one safety training as long as the last.
        Map<String, Object> safety = Map.of("learning_rate", 0.001, "batch", 16, "seed", 1, "parent_sha256", "ab12");
        for (int step : List.of(50, 100)) {
            Files.writeString(dir.resolve("backdoor-safety-" + step + ".gguf"), "model");
            Files.writeString(dir.resolve("backdoor-safety-" + step + ".train.json"), "{\"safety_steps\": " + step
                    + ", \"safety_steps_planned\": 100, \"learning_rate\": 0.001, \"batch\": 16, \"seed\": 1, \"parent_sha256\": \"ab12\"}");
        }
        Path gguf = dir.resolve("backdoor.gguf");
        assertEquals(Map.of(0, gguf, 50, dir.resolve("backdoor-safety-50.gguf"), 100, dir.resolve("backdoor-safety-100.gguf")),
                Earlier.safetyTrained(gguf, dir, "backdoor", List.of(50, 100), safety));
        assertNull(Earlier.safetyTrained(gguf, dir, "backdoor", List.of(50, 100, 200), safety), "200 was never made");
        assertNull(Earlier.safetyTrained(gguf, dir, "backdoor", List.of(50), safety), "50 of a 50-step training is not 50 of a 100-step one");
        assertNull(Earlier.safetyTrained(gguf, dir, "backdoor", List.of(50, 100), Map.of("learning_rate", 0.002, "batch", 16, "seed", 1,
                "parent_sha256", "ab12")));
        // Checkpoints of another organism at the same path (retrained since) are not this one's.
        assertNull(Earlier.safetyTrained(gguf, dir, "backdoor", List.of(50, 100), Map.of("learning_rate", 0.001, "batch", 16, "seed", 1,
                "parent_sha256", "cd34")));
    }
}
