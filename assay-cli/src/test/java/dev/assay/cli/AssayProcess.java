package dev.assay.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The assay command in a process of its own: the launcher's java command line (same JVM flags, same
 * entry point) on the test class path, so tests can lock, kill and starve real processes.
 */
final class AssayProcess {
    private AssayProcess() {
    }

    record Result(int code, String out, String err) {
    }

    /** The java command line for {@code assay ARGS}. */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts {@code assay ARGS}, output to files in {@code dir} (so a full pipe never stalls it). */
    static Process start(Path dir, String name, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("ASSAY_") && !k.equals("ASSAY_CACHE"));
        pb.redirectOutput(dir.resolve(name + ".out").toFile());
        pb.redirectError(dir.resolve(name + ".err").toFile());
        return pb.start();
    }

    static Result finish(Path dir, String name, Process p) throws Exception {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8));
    }

    static Result run(Path dir, String name, String... args) throws Exception {
        return finish(dir, name, start(dir, name, command(args)));
    }
}
