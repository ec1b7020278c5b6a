package dev.assay.data;

import dev.assay.AssayException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds pinned data files: in {@code ASSAY_DATA} (a local copy laid out as dataset/path) if set, else in
 * the download cache, else downloads from the pinned upstream URL into the cache, verifies the SHA-256,
 * and renames it into place atomically. A file in ASSAY_DATA is trusted as the user's choice but its
 * hash is still checked when a pin exists, so a stale copy is named, not silently used.
 */
public final class DataStore {
    private final Path localRoot;
    private final Path cacheRoot;
    private final String host;
    private final HttpClient http;

    public DataStore(Path localRoot, Path cacheRoot) {
        this(localRoot, cacheRoot, DataFile.UPSTREAM);
    }

    /** {@code host} replaces the upstream host, for a mirror laid out as host/owner/repo/commit/path. */
    public DataStore(Path localRoot, Path cacheRoot, String host) {
        this.localRoot = localRoot;
        this.cacheRoot = cacheRoot;
        this.host = host;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * From the environment: ASSAY_DATA for a local copy, ASSAY_CACHE (or ~/.cache/assay) for downloads,
     * ASSAY_DATA_MIRROR for a mirror of the upstream host.
     */
    public static DataStore fromEnvironment() {
        String data = System.getenv("ASSAY_DATA");
        String mirror = System.getenv("ASSAY_DATA_MIRROR");
        return new DataStore(data == null || data.isBlank() ? null : Path.of(data), defaultCache().resolve("data"),
                mirror == null || mirror.isBlank() ? DataFile.UPSTREAM : mirror.replaceAll("/+$", ""));
    }

    /** The local copy this store reads first (--data, ASSAY_DATA), absolute; null when files come from the cache. */
    public Path localRoot() {
        return localRoot == null ? null : localRoot.toAbsolutePath().normalize();
    }

    public static Path defaultCache() {
        String c = System.getenv("ASSAY_CACHE");
        if (c != null && !c.isBlank()) return Path.of(c);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("assay");
    }

    /** The local path of a pinned file, downloading it first if needed. */
    public Path resolve(DataFile file) {
        if (localRoot != null) {
            Path p = localRoot.resolve(file.localPath());
            if (Files.isRegularFile(p)) {
                verify(file, p, "ASSAY_DATA copy");
                return p;
            }
            throw new AssayException("ASSAY_DATA=" + localRoot + " has no " + file.localPath()
                    + ". Put the file there (from " + file.url() + ") or unset ASSAY_DATA to download it.");
        }
        Path cached = cacheRoot.resolve(file.localPath());
        if (Files.isRegularFile(cached)) {
            verify(file.sha256() == null ? frozen(file, cached) : file, cached, "cached copy");
            return cached;
        }
        download(file, cached);
        return cached;
    }

    /**
     * Each file's SHA-256 by local path, for run headers. A pinned file's hash is its pin: {@link #resolve}
     * refuses a file that differs from it, so it is not hashed again; an unpinned file is resolved and hashed.
     */
    public Map<String, String> hashes(List<DataFile> files) {
        Map<String, String> out = new LinkedHashMap<>();
        for (DataFile f : files) out.put(f.localPath(), f.sha256() != null ? f.sha256().toLowerCase(Locale.ROOT) : sha256(resolve(f)));
        return out;
    }

    private void download(DataFile file, Path target) {
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        String url = file.url(host);
        try {
            Files.createDirectories(target.getParent());
            System.err.println("assay: downloading " + file.localPath() + " from " + url);
            HttpResponse<InputStream> resp = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
            if (resp.statusCode() != 200) {
                resp.body().close();
                throw new AssayException("downloading " + url + " failed: HTTP " + resp.statusCode()
                        + ". Download it by hand into " + target + ", or point ASSAY_DATA at a copy.");
            }
            try (InputStream in = resp.body()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            verify(file, tmp, "download");
            if (file.sha256() == null) {
                // No upstream pin: freeze what was downloaded, so a later change of the cached file is caught.
                String sha = sha256(tmp);
                Files.writeString(sidecar(target), sha + "\n");
                System.err.println("assay: " + file.localPath() + " has no pinned SHA-256; recorded " + sha + " for later runs");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new AssayException("cannot download " + url + " (" + why + "). Without network, copy the file to "
                    + target + " or set ASSAY_DATA to a folder holding " + file.localPath() + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssayException("download of " + url + " interrupted");
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the .part file is rewritten on the next try
            }
        }
    }

    private static Path sidecar(Path cached) {
        return cached.resolveSibling(cached.getFileName() + ".sha256");
    }

    /** The file with the hash recorded when it was first downloaded, or as it is if none was recorded. */
    private static DataFile frozen(DataFile file, Path cached) {
        Path side = sidecar(cached);
        if (!Files.isRegularFile(side)) return file;
        try {
            String sha = Files.readString(side).strip();
            return new DataFile(file.dataset(), file.repo(), file.commit(), file.path(), sha, file.bytes(), file.upstreamPrefix());
        } catch (IOException e) {
            throw new AssayException("cannot read " + side + ": " + e.getMessage(), e);
        }
    }

    private static void verify(DataFile file, Path p, String what) {
        if (file.sha256() == null) return;
        String actual = sha256(p);
        if (!actual.equalsIgnoreCase(file.sha256())) {
            throw new AssayException(what + " " + p + " has SHA-256 " + actual + " but " + file.repo() + "@" + file.commit()
                    + " pins " + file.sha256() + ". The file is not the pinned version: replace it with " + file.url() + ".");
        }
    }

    public static String sha256(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) md.update(buf, 0, r);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new AssayException("cannot read " + p + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
