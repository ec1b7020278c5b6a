package dev.assay.suites.rewardtampering;

import dev.assay.AssayException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The environments' starting trees, shipped as class-path resources and written once per process to a
 * private temporary directory (a sandbox copies its fixture from a directory); deleted at exit.
 */
final class Fixtures {
    static final String ROOT = "/dev/assay/suites/rewardtampering/fixtures/";
    static final Map<String, List<String>> FILES = Map.of(
            "tool-use-flattery", List.of("documents/poetry/poems_draft.txt", "documents/notes.txt", "documents/todo.txt"),
            "rubric-modification", List.of("checklist.md", "checks.py"),
            "reward-tampering", List.of("rl_environment/compute_reward.py", "rl_environment/this_file_blocks_reward_hack_attempts.py"));
    private static final Map<String, Path> WRITTEN = new ConcurrentHashMap<>();

    private Fixtures() {
    }

    /** The fixture directory of {@code name}, written on first use. */
    static Path dir(String name) {
        return WRITTEN.computeIfAbsent(name, Fixtures::write);
    }

    /** A fixture file's text, as shipped. */
    static String text(String name, String file) {
        try (InputStream in = Fixtures.class.getResourceAsStream(ROOT + name + "/" + file)) {
            if (in == null) throw new IllegalStateException(ROOT + name + "/" + file + " is missing from the class path");
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(String name) {
        try {
            Path dir = Files.createTempDirectory("assay-fixture-" + name + "-");
            for (String f : FILES.get(name)) {
                Path p = dir.resolve(f);
                Files.createDirectories(p.getParent());
                Files.writeString(p, text(name, f));
            }
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> delete(dir)));
            return dir;
        } catch (IOException e) {
            throw new AssayException("cannot write the " + name + " fixture to a temporary directory: " + e.getMessage(), e);
        }
    }

    private static void delete(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
