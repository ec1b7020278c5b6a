package dev.assay.cli.view;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.assay.AssayException;
import dev.assay.run.RunStore;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local web viewer over a run store: the JDK's HTTP server, one virtual thread per request, bound
 * to 127.0.0.1 only — run logs hold prompts and model outputs, which are not for the network.
 *
 * <p>Routes: {@code /} runs (filterable), {@code /runs/ID} metrics and plots, {@code /runs/ID/samples?page=N}
 * the log page by page, {@code /runs/ID/samples/L} one record, {@code /runs/ID/report} the full HTML
 * report, {@code /compare?a=ID&b=ID} two runs side by side. A run id in a URL must be the name of a run
 * folder in the store; anything else is a 400 (malformed) or 404 (no such run), never a file lookup.
 */
public final class Viewer implements AutoCloseable {
    static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Records on one samples page (assay bench view sizes its run and far page by it). */
    public static final int PAGE = Pages.PAGE;
    private final dev.assay.store.Store store;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Pages pages;
    private final Map<Path, Object> indexLocks = new ConcurrentHashMap<>();

    private Viewer(dev.assay.store.Store store, HttpServer server, ExecutorService executor) {
        this.store = store;
        this.server = server;
        this.executor = executor;
        this.pages = new Pages(store, this);
    }

    /** Starts serving {@code store} on 127.0.0.1:{@code port} (0 picks a free port). */
    public static Viewer start(RunStore store, int port) {
        return start(new dev.assay.store.FolderStore(store), port);
    }

    /**
     * Serves any store. A database store's runs are read through a read-only local copy each
     * ({@link dev.assay.store.StoredRun#folder}), refreshed when the run has more records: the offset index
     * of samples.jsonl pages a 10^5-sample run in milliseconds, and the copy is never written back.
     */
    public static Viewer start(dev.assay.store.Store store, int port) {
        InetSocketAddress address = new InetSocketAddress(loopbackV4(), port);
        // Without TCP_NODELAY a page written in several pieces waits on the client's delayed ACK (~40 ms).
        // The JDK server reads this once, when its first server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (IOException e) {
            throw new AssayException("cannot listen on 127.0.0.1:" + port + " (" + e.getMessage()
                    + "). Choose another port with --port, or --port 0 for any free one.", e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        Viewer v = new Viewer(store, server, executor);
        server.createContext("/", v::handle);
        server.start();
        return v;
    }

    /** Builds a samples log's offset index afresh, dropping any on disk (assay bench view times this alone). */
    public static void reindex(Path samplesLog) throws IOException {
        Files.deleteIfExists(samplesLog.resolveSibling(samplesLog.getFileName() + SampleIndex.SUFFIX));
        SampleIndex.open(samplesLog);
    }

    /** 127.0.0.1 itself, not "localhost" or getLoopbackAddress(), which may be ::1 or resolve elsewhere. */
    private static InetAddress loopbackV4() {
        try {
            return InetAddress.getByAddress("localhost", new byte[]{127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    /** A client error: rendered as an HTML page with this status. */
    static final class HttpError extends RuntimeException {
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        int status = 200;
        String body;
        try {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                throw new HttpError(405, "only GET is served");
            }
            checkHost(ex.getRequestHeaders().getFirst("Host"));
            body = route(ex.getRequestURI());
        } catch (HttpError e) {
            status = e.status;
            body = pages.error(e.status, e.getMessage());
        } catch (AssayException e) {
            status = 500;
            body = pages.error(500, e.getMessage());
        } catch (RuntimeException e) {
            status = 500;
            body = pages.error(500, e.toString());
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        // Nothing on these pages may be fetched from elsewhere; say so to the browser too.
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        }
        ex.close();
    }

    /**
     * Loopback binding keeps other machines out, but a web page in the user's own browser could still reach
     * the port through a DNS name rebound to 127.0.0.1; such requests carry that name as Host, so only
     * 127.0.0.1 and localhost are served.
     */
    void checkHost(String host) {
        String port = ":" + server.getAddress().getPort();
        if (host == null || !(host.equals("127.0.0.1" + port) || host.equals("localhost" + port)
                || host.equals("127.0.0.1") || host.equals("localhost"))) {
            throw new HttpError(400, "the viewer answers only requests addressed to 127.0.0.1 or localhost, not Host '" + host + "'");
        }
    }

    String route(URI uri) {
        String raw = uri.getRawPath();
        Map<String, String> query = query(uri.getRawQuery());
        List<String> seg = segments(raw);
        if (seg.isEmpty()) return pages.runs(query);
        if (seg.size() == 1 && seg.getFirst().equals("compare")) {
            return pages.compare(run(required(query, "a")), run(required(query, "b")));
        }
        if (seg.getFirst().equals("runs") && seg.size() >= 2) {
            Path dir = run(seg.get(1));
            if (seg.size() == 2) return pages.run(dir);
            if (seg.size() == 3 && seg.get(2).equals("report")) return pages.report(dir);
            if (seg.get(2).equals("samples")) {
                if (seg.size() == 3) {
                    int page = number(query.getOrDefault("page", "1"), "page");
                    int size = number(query.getOrDefault("size", Integer.toString(Pages.PAGE)), "size");
                    SampleFilter filter = SampleFilter.of(query);
                    return filter.isEmpty() ? pages.samples(dir, page, size) : pages.samples(dir, page, size, filter);
                }
                if (seg.size() == 4) return pages.sample(dir, number(seg.get(3), "sample line"));
            }
        }
        throw new HttpError(404, "no page at " + raw);
    }

    /** Path segments, each percent-decoded once; a decoded segment that is empty, "." or ".." is refused. */
    static List<String> segments(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) throw new HttpError(400, "malformed path");
        List<String> out = new ArrayList<>();
        for (String s : rawPath.substring(1).split("/", -1)) {
            if (s.isEmpty() && out.isEmpty()) continue;
            String d = decode(s);
            if (d.isEmpty() || d.equals(".") || d.equals("..") || d.contains("/") || d.contains("\\") || d.indexOf('\0') >= 0) {
                throw new HttpError(400, "malformed path segment '" + s + "'");
            }
            out.add(d);
        }
        return out;
    }

    /** The folder of the run named {@code id}: it must be a run folder (with a header) directly in the store. */
    Path run(String id) {
        if (!RUN_ID.matcher(id).matches()) throw new HttpError(400, "'" + id + "' is not a run id");
        if (store instanceof dev.assay.store.FolderStore f) {
            try (Stream<Path> dirs = Files.list(f.root())) {
                Path dir = dirs.filter(p -> p.getFileName().toString().equals(id)).findFirst().orElse(null);
                if (dir == null || !Files.isRegularFile(dir.resolve(RunStore.HEADER))) {
                    throw new HttpError(404, "no run '" + id + "' in " + f.root());
                }
                return dir;
            } catch (IOException e) {
                throw new HttpError(404, "no run store at " + f.root());
            }
        }
        if (!store.contains(id)) throw new HttpError(404, "no run '" + id + "' in " + store.location());
        return store.find(id).folder();
    }

    /** The sample index of a run, built or extended under a per-run lock. */
    SampleIndex index(Path dir) {
        synchronized (indexLocks.computeIfAbsent(dir, k -> new Object())) {
            return SampleIndex.open(dir.resolve(RunStore.SAMPLES));
        }
    }

    private static String required(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isBlank()) throw new HttpError(400, "missing query parameter '" + name + "'");
        return v;
    }

    private static int number(String s, String what) {
        try {
            int n = Integer.parseInt(s.trim());
            if (n < 1) throw new HttpError(400, what + " must be 1 or more, not " + s);
            return n;
        } catch (NumberFormatException e) {
            throw new HttpError(400, what + " must be a number, not '" + s + "'");
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = decode(eq < 0 ? kv : kv.substring(0, eq));
            String v = eq < 0 ? "" : decode(kv.substring(eq + 1));
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "malformed percent-encoding in '" + s + "'");
        }
    }
}
