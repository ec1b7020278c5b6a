package dev.assay.llama;

import dev.assay.AssayException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The Java side of the benchmark's memory comparison, run in a JVM of its own with the launcher's flags:
 * the native reference's workload (native-reference.c: S prompts of P tokens, G greedy tokens each, the
 * same token ids) through {@link LlamaModel}'s real decode loop, then the peak RSS.
 */
public final class MemoryWorkload {
    private MemoryWorkload() {
    }

    /** Arguments: MODEL CTX KV UBATCH SEQUENCES THREADS SEQS PROMPT GEN (KV 0: the default). Prints {@code peak_rss_kb=N}. */
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int ctx = Integer.parseInt(args[1]), kv = Integer.parseInt(args[2]), ubatch = Integer.parseInt(args[3]),
                sequences = Integer.parseInt(args[4]), threads = Integer.parseInt(args[5]), seqs = Integer.parseInt(args[6]),
                prompt = Integer.parseInt(args[7]), gen = Integer.parseInt(args[8]);
        try (LlamaModel m = LlamaModel.open("llama/" + model, model, new LlamaModel.Settings(ctx, threads, sequences, ubatch, kv, true))) {
            Engine e = m.engine();
            System.out.println("context kv_cells=" + e.kvCells + " n_batch=" + e.nBatch + " n_ubatch=" + e.nUbatch
                    + " n_seq_max=" + e.nSeqMax);
            List<Future<Engine.Completion>> done = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int s = 0; s < seqs; s++) {
                    int[] tokens = promptTokens(s, prompt);
                    done.add(pool.submit(() -> m.complete(tokens, new Engine.Sampling(gen, 0, 1, 0, List.of(), 0))));
                }
            }
            for (var f : done) f.get();
        }
        System.out.println("peak_rss_kb=" + EngineBenchmark.peakRss() / 1024);
    }

    /** Sequence s reads tokens 100 + (7s + j) mod 1000, as the native reference does. */
    static int[] promptTokens(int s, int length) {
        int[] t = new int[length];
        for (int j = 0; j < length; j++) t[j] = 100 + (7 * s + j) % 1000;
        return t;
    }

    /** Peak RSS and context of one side, as its process printed them. */
    public record Side(long peakRssKb, Map<String, Integer> context) {
    }

    /** Runs a workload process to its end; its output must end with {@code peak_rss_kb=N}. */
    static Side run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        Map<String, Integer> context = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("context ")) {
                for (String kv : line.substring(8).trim().split(" ")) {
                    String[] parts = kv.split("=");
                    context.put(parts[0], Integer.parseInt(parts[1]));
                }
            }
            if (code == 0 && line.startsWith("peak_rss_kb=")) return new Side(Long.parseLong(line.substring(12).trim()), context);
        }
        throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(2, command.size())))
                + " exited " + code + " without a figure: " + out);
    }

    /**
     * Assay's peak RSS (a JVM with this one's flags, running the workload through {@link LlamaModel}) and
     * the native reference's (native-reference.c, compiled here with gcc, same library, model and context).
     */
    public static Side[] compare(Path model, int ctx, int ubatch, int threads, int seqs, int prompt, int gen, Path workDir)
            throws IOException, InterruptedException {
        String javaBin = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> ours = new ArrayList<>(List.of(javaBin));
        ours.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        ours.addAll(List.of("-cp", System.getProperty("java.class.path"), MemoryWorkload.class.getName(), model.toString(),
                "" + ctx, "0", "" + ubatch, "32", "" + threads, "" + seqs, "" + prompt, "" + gen));
        Side assay = run(ours);
        Path binary = compileReference(workDir);
        Map<String, Integer> c = assay.context();
        Side nat = run(List.of(binary.toString(), LlamaCpp.get().libraryFile.toString(), model.toString(),
                "" + c.get("kv_cells"), "" + c.get("n_batch"), "" + c.get("n_ubatch"), "" + c.get("n_seq_max"),
                "" + threads, "" + seqs, "" + prompt, "" + gen));
        return new Side[]{assay, nat};
    }

    private static Path compileReference(Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path source = workDir.resolve("native-reference.c"), binary = workDir.resolve("native-reference");
        try (InputStream in = MemoryWorkload.class.getResourceAsStream("native-reference.c")) {
            Files.write(source, in.readAllBytes());
        }
        Process p;
        try {
            p = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), source.toString(), "-ldl")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssayException("the memory comparison builds its native reference with gcc, which was not found: "
                    + e.getMessage() + ". Install gcc (Debian: apt-get install gcc) or run the benchmark with --no-memory.");
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new AssayException("gcc could not build " + source + ": " + out);
        return binary;
    }
}
