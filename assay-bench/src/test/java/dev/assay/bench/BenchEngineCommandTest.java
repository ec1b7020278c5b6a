package dev.assay.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class BenchEngineCommandTest {
    @TempDir
    Path dir;

    @Test
    void benchEngineCommandPrintsItsTableAndMachineReadableLines() throws Exception {
        // assay-llama's test fixtures (its test-jar): three persona items; the tokenizer is the bundled one.
        Path data = copyOut("/datasets", dir.resolve("datasets"));
        var out = new StringWriter();
        int rc = new CommandLine(new BenchEngineCommand()).setOut(new PrintWriter(out)).execute(
                "--shape", "tiny", "--work-dir", dir.toString(),
                "--data", data.toString(), "--items", "3", "--rounds", "1", "--threads", "1", "--ctx", "512",
                "--concurrency", "4", "--gen-tokens", "8", "--prefix-tokens", "100", "--memory-shapes", "tiny");
        assertThat(rc).isZero();
        String[] lines = out.toString().strip().split("\n");
        String[] keys = {"prompt_ratio", "batched_speedup", "gen_batch_speedup", "gen_batch_ratio", "prefix_cache_speedup",
                "prefix_tokens_decoded", "rss_over_native_mb"};
        for (int i = 0; i < keys.length; i++) {
            assertThat(lines[lines.length - keys.length + i]).matches(keys[i] + "=-?\\d+\\.\\d+");
        }
        // the memory row compares two real processes: a JVM running the workload, and gcc's build of the C reference
        assertThat(out.toString()).containsPattern("peak RSS, tiny \\(kv \\d+\\)\\s+\\d+\\.\\d\\s+\\d+\\.\\d");
        double decodedRatio = Double.parseDouble(lines[lines.length - 2].substring("prefix_tokens_decoded=".length()));
        assertThat(decodedRatio).as("with the cache, about the unique tokens are decoded").isBetween(1.0, 1.2);
        assertThat(out.toString()).contains("MC items/s (3 persona items)").contains("prompt tokens/s");
        double diff = Double.parseDouble(out.toString().replaceAll("(?s).*max \\|batched - naive\\| log-prob\\s+(\\S+).*", "$1"));
        assertThat(diff).isLessThan(1e-2);
    }

    /** A fixture as a plain file or directory: under `verify` the test-jar is a jar, and the bench takes paths. */
    static Path copyOut(String resource, Path to) throws Exception {
        URI uri = BenchEngineCommandTest.class.getResource(resource).toURI();
        if (!uri.getScheme().equals("jar")) return Path.of(uri);
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of()); Stream<Path> walk = Files.walk(fs.provider().getPath(uri))) {
            Path src = fs.provider().getPath(uri);
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = to.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return to;
    }
}
