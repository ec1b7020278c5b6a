package dev.assay.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.AssayException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The local cache of embedded models. Known names download from Hugging Face on first use: the expected
 * size and SHA-256 come from Hugging Face's LFS metadata at download time (they cannot be pinned from a
 * machine without network), the transfer resumes with HTTP Range after an interruption, the file is
 * verified and only then renamed into place. A directory of files put there by hand (ASSAY_MODELS) works
 * offline.
 */
public final class ModelStore {

    /** A model known by name: where it lives on Hugging Face. */
    public record Known(String name, String repo, String file, String description) {
    }

    public static final List<Known> KNOWN = List.of(
            new Known("qwen2.5-0.5b-instruct", "Qwen/Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q8_0.gguf",
                    "Qwen2.5 0.5B Instruct, Q8_0 (the default model)"),
            new Known("smollm2-135m-instruct", "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", "smollm2-135m-instruct-q8_0.gguf",
                    "SmolLM2 135M Instruct, Q8_0"),
            new Known("smollm2-360m-instruct", "HuggingFaceTB/SmolLM2-360M-Instruct-GGUF", "smollm2-360m-instruct-q8_0.gguf",
                    "SmolLM2 360M Instruct, Q8_0"));

    public static final String DEFAULT_MODEL = "qwen2.5-0.5b-instruct";

    private final Path dir;
    private final URI endpoint;
    private final PrintStream progress;
    private final HttpClient http;

    public ModelStore(Path dir, URI endpoint, PrintStream progress) {
        this.dir = dir;
        this.endpoint = endpoint;
        this.progress = progress;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20)).build();
    }

    /** The store the environment names: ASSAY_MODELS (or the given dir), HF_ENDPOINT, progress on stderr. */
    public static ModelStore fromEnvironment(Path cacheDir) {
        String hf = System.getenv("HF_ENDPOINT");
        return new ModelStore(cacheDir != null ? cacheDir : defaultDir(),
                URI.create(hf != null && !hf.isBlank() ? hf : "https://huggingface.co"), System.err);
    }

    public static Path defaultDir() {
        String env = System.getenv("ASSAY_MODELS");
        if (env != null && !env.isBlank()) return Path.of(env);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("assay").resolve("models");
    }

    public Path dir() {
        return dir;
    }

    public static Optional<Known> known(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return KNOWN.stream().filter(k -> k.name.equals(n)).findFirst();
    }

    public static Known require(String name) {
        return known(name).orElseThrow(() -> new AssayException("unknown model 'llama/" + name + "'. Known models: "
                + String.join(", ", KNOWN.stream().map(Known::name).toList())
                + "; or give a local file as llama/PATH.gguf."));
    }

    /** The cached file of a known model, if present. */
    public Optional<Path> cached(Known k) {
        Path f = dir.resolve(k.file);
        return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }

    /** The cached file, downloading it first if needed. */
    public Path resolve(Known k) {
        return cached(k).orElseGet(() -> pull(k));
    }

    public boolean remove(Known k) throws IOException {
        boolean any = Files.deleteIfExists(dir.resolve(k.file));
        any |= Files.deleteIfExists(dir.resolve(k.file + ".part"));
        any |= Files.deleteIfExists(dir.resolve(k.file + ".sha256"));
        return any;
    }

    /** What Hugging Face says the file should be. */
    record Expected(long size, String sha256) {
    }

    private String howToSupply(Known k) {
        return "To use it without network, download " + fileUrl(k) + " on another machine and copy it to "
                + dir.resolve(k.file) + " (or set ASSAY_MODELS to a directory holding " + k.file
                + "), or give a local file with --model llama/PATH.gguf.";
    }

    URI fileUrl(Known k) {
        return endpoint.resolve("/" + k.repo + "/resolve/main/" + k.file);
    }

    /** Downloads (resuming a partial download), verifies and installs a known model. */
    public Path pull(Known k) {
        Path target = dir.resolve(k.file);
        Path part = dir.resolve(k.file + ".part");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AssayException("cannot create the model cache " + dir + ": " + e.getMessage()
                    + ". Set ASSAY_MODELS to a writable directory.", e);
        }
        Expected expected;
        try {
            expected = expected(k);
            long have = Files.exists(part) ? Files.size(part) : 0;
            if (have > expected.size) {
                Files.delete(part);
                have = 0;
            }
            if (have < expected.size) transfer(k, part, have, expected.size);
        } catch (IOException e) {
            throw new AssayException("cannot download model " + k.name + " from " + fileUrl(k) + ": "
                    + (e instanceof java.net.ConnectException || e instanceof java.net.UnknownHostException
                        || e instanceof java.net.http.HttpConnectTimeoutException
                        ? "no network connection to " + endpoint.getHost() + " (" + e.getClass().getSimpleName() + ")"
                        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + ". " + howToSupply(k), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssayException(dev.assay.ExitCode.INTERRUPTED, "download of " + k.name + " interrupted; run again to resume", e);
        }
        try {
            long size = Files.size(part);
            if (size != expected.size) {
                throw new AssayException("download of " + k.name + " ended at " + size + " bytes, Hugging Face says "
                        + expected.size + ". Run again to resume. " + howToSupply(k));
            }
            String sha = sha256(part);
            if (!sha.equalsIgnoreCase(expected.sha256)) {
                Files.delete(part);
                throw new AssayException("download of " + k.name + " is corrupt: SHA-256 " + sha + " but Hugging Face's "
                        + "LFS metadata says " + expected.sha256 + ". The partial file was deleted; run again. " + howToSupply(k));
            }
            GgufHeader.read(part); // a file that verifies but is not GGUF is a wrong upstream file: say so now
            Files.writeString(dir.resolve(k.file + ".sha256"), sha + "  " + k.file + "\n");
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new AssayException("cannot install model " + k.name + " into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Size and SHA-256 from the tree API, else from the resolve URL's X-Linked-* headers. */
    Expected expected(Known k) throws IOException, InterruptedException {
        URI tree = endpoint.resolve("/api/models/" + k.repo + "/tree/main");
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(tree).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 200) {
            JsonNode entries = new ObjectMapper().readTree(r.body());
            for (JsonNode e : entries) {
                if (k.file.equals(e.path("path").asText()) && e.path("lfs").has("oid")) {
                    return new Expected(e.path("lfs").path("size").asLong(e.path("size").asLong()),
                            e.path("lfs").path("oid").asText());
                }
            }
        }
        HttpClient noRedirect = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(20)).build();
        HttpResponse<Void> head = noRedirect.send(HttpRequest.newBuilder(fileUrl(k)).timeout(Duration.ofSeconds(60))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        Optional<String> etag = head.headers().firstValue("X-Linked-Etag");
        Optional<String> size = head.headers().firstValue("X-Linked-Size");
        if (etag.isPresent() && size.isPresent()) {
            return new Expected(Long.parseLong(size.get().trim()), etag.get().replace("\"", "").trim());
        }
        throw new IOException("Hugging Face gave no LFS size and SHA-256 for " + k.repo + "/" + k.file
                + " (tree API HTTP " + r.statusCode() + ", resolve HTTP " + head.statusCode() + ")");
    }

    private void transfer(Known k, Path part, long have, long total) throws IOException, InterruptedException {
        var req = HttpRequest.newBuilder(fileUrl(k)).timeout(Duration.ofMinutes(30)).GET();
        if (have > 0) req.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = r.statusCode();
        boolean append = status == 206;
        if (status != 200 && status != 206) {
            r.body().close();
            throw new IOException("HTTP " + status + (status == 401 || status == 403 ? " (access refused)"
                    : status == 404 ? " (no such file)" : ""));
        }
        if (!append) have = 0; // the server ignored the Range: start over
        long done = have;
        long started = System.nanoTime();
        var bar = new ProgressBar(progress, k.file, total);
        try (InputStream in = r.body();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                done += n;
                bar.update(done, have, started);
            }
        } finally {
            bar.finish();
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A one-line progress bar, redrawn at most every 200 ms. */
    private static final class ProgressBar {
        private final PrintStream out;
        private final String name;
        private final long total;
        private long lastDraw;
        private boolean drawn;

        ProgressBar(PrintStream out, String name, long total) {
            this.out = out;
            this.name = name;
            this.total = total;
        }

        void update(long done, long resumedFrom, long started) {
            long now = System.nanoTime();
            if (out == null || (now - lastDraw < 200_000_000L && done < total)) return;
            lastDraw = now;
            drawn = true;
            double frac = total > 0 ? Math.min(1, done / (double) total) : 0;
            int width = 30, filled = (int) (frac * width);
            double secs = Math.max(1e-3, (now - started) / 1e9);
            out.printf(Locale.ROOT, "\r%s [%s%s] %5.1f%% %,.1f/%,.1f MB %.1f MB/s", name, "#".repeat(filled),
                    " ".repeat(width - filled), frac * 100, done / 1e6, total / 1e6, (done - resumedFrom) / 1e6 / secs);
            out.flush();
        }

        void finish() {
            if (out != null && drawn) out.println();
        }
    }
}
