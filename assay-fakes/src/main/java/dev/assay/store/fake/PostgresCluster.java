package dev.assay.store.fake;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real, throwaway PostgreSQL cluster for tests and benchmarks: Debian's {@code initdb} and {@code pg_ctl}
 * (package {@code postgresql}, {@value #BIN} by default, {@code ASSAY_PG_BIN} to override) make a cluster in a
 * temp folder, listening on 127.0.0.1 on a free port (its socket in the temp folder too), with a login role
 * that has a random password (scram-sha-256 over TCP); {@link #close} stops it (immediate) and deletes the
 * folder. initdb refuses to run as root, so under root the server binaries run as the {@code postgres} user
 * through {@code runuser}, and the temp folder is handed to it.
 *
 * <p>Start-up costs a few seconds, so tests share one per JVM: {@link #shared()} starts it on first use and
 * stops it at exit; each test class takes its own database from it ({@link #newDatabase}) so classes never
 * see each other's rows. {@link #start(boolean)} gives a private one (a benchmark wants fsync on).
 */
public final class PostgresCluster implements AutoCloseable {
    public static final String BIN = "/usr/lib/postgresql/15/bin";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresCluster shared;

    private final Path dir;
    private final Path bin;
    private final int port;
    private final String user;
    private final String password;
    private final boolean asPostgres;
    private volatile boolean closed;

    private PostgresCluster(Path dir, Path bin, int port, String user, String password, boolean asPostgres) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.user = user;
        this.password = password;
        this.asPostgres = asPostgres;
    }

    /** The cluster every test class of this JVM shares, started on first call, stopped when the JVM exits. */
    public static synchronized PostgresCluster shared() {
        if (shared == null || shared.closed) {
            PostgresCluster c = start(false);
            Runtime.getRuntime().addShutdownHook(new Thread(c::close, "postgres-cluster-stop"));
            shared = c;
        }
        return shared;
    }

    /**
     * Whether Debian's PostgreSQL server binaries are installed here ({@code .ci/postgres.sh} installs them);
     * tests do not skip without them: {@link #start} fails saying what to install.
     */
    public static boolean installed() {
        return Files.isExecutable(bin().resolve("initdb")) && Files.isExecutable(bin().resolve("pg_ctl"));
    }

    private static Path bin() {
        String env = System.getenv("ASSAY_PG_BIN");
        return Path.of(env == null || env.isBlank() ? BIN : env);
    }

    /**
     * Starts a new cluster with database {@code assay} owned by role {@code assay}.
     *
     * @param durable fsync on (a benchmark measuring commits); off for tests, which need no crash safety
     */
    public static PostgresCluster start(boolean durable) {
        Path bin = bin();
        if (!installed()) {
            throw new IllegalStateException("PostgreSQL server binaries not found in " + bin
                    + " (initdb, pg_ctl): install Debian's postgresql package (apt-get install postgresql, or .ci/postgres.sh),"
                    + " or set ASSAY_PG_BIN to the folder holding them");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = null;
        try {
            dir = Files.createTempDirectory("assay-pg-");
            String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            Files.writeString(dir.resolve("pwfile"), password + "\n", StandardCharsets.UTF_8);
            Files.createDirectories(dir.resolve("sock"));
            if (root) exec(List.of("chown", "-R", "postgres:postgres", dir.toString()), dir, 30);
            int port = freePort();
            PostgresCluster c = new PostgresCluster(dir, bin, port, "assay", password, root);
            c.server("initdb", "-D", dir.resolve("data").toString(), "-U", "postgres", "-E", "UTF8", "--locale=C",
                    "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + dir.resolve("pwfile"), "--no-sync");
            String opts = "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir.resolve("sock")
                    + " -c max_connections=200 -c shared_buffers=64MB"
                    + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            c.server("pg_ctl", "-D", dir.resolve("data").toString(), "-o", opts, "-l", dir.resolve("server.log").toString(),
                    "-w", "-t", "60", "start");
            c.psql("postgres", "CREATE ROLE assay LOGIN PASSWORD '" + password + "'");
            c.psql("postgres", "CREATE DATABASE assay OWNER assay");
            return c;
        } catch (IOException | RuntimeException e) {
            if (dir != null) {
                Path log = dir.resolve("server.log");
                String tail = "";
                try {
                    if (Files.exists(log)) tail = " (server log: " + Files.readString(log).strip() + ")";
                } catch (IOException ignored) {
                    // the first error is the one to report
                }
                stopQuietly(dir, bin, root);
                deleteTree(dir);
                throw new IllegalStateException("cannot start a PostgreSQL cluster in " + dir + ": " + e.getMessage() + tail, e);
            }
            throw new IllegalStateException("cannot start a PostgreSQL cluster: " + e.getMessage(), e);
        }
    }

    /** A fresh empty database owned by {@link #user()}, named {@code prefix_N}; returns its name. */
    public String newDatabase(String prefix) {
        String name = prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
        psql("postgres", "CREATE DATABASE " + name + " OWNER " + user);
        return name;
    }

    /** Runs SQL as the superuser (over the socket, trusted) in {@code database}: test set-up only. */
    public void psql(String database, String sql) {
        server("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", dir.resolve("sock").toString(), "-p", String.valueOf(port),
                "-U", "postgres", "-d", database, "-c", sql);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    /** The role's password: tests give it to Assay as PGPASSWORD or in a pgpass file, never in a URL. */
    public String password() {
        return password;
    }

    /** {@code postgresql://127.0.0.1:PORT/DATABASE}: no user, no password (those come from the environment). */
    public String url(String database) {
        return "postgresql://" + host() + ":" + port + "/" + database;
    }

    /** The environment a child process (or {@code Stores.open} with an env) needs: PGUSER and PGPASSWORD. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGUSER", user);
        env.put("PGPASSWORD", password);
        return env;
    }

    /** The server's log so far (a test that fails may print it). */
    public String serverLog() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        stopQuietly(dir, bin, asPostgres);
        deleteTree(dir);
    }

    private void server(String program, String... args) {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        cmd.add(program.equals("psql") ? bin.resolve("psql").toString() : bin.resolve(program).toString());
        cmd.addAll(List.of(args));
        exec(cmd, dir, 90);
    }

    private static void stopQuietly(Path dir, Path bin, boolean asPostgres) {
        if (!Files.exists(dir.resolve("data").resolve("postmaster.pid"))) return;
        List<String> cmd = new ArrayList<>();
        if (asPostgres) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        cmd.addAll(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        try {
            exec(cmd, dir, 60);
        } catch (RuntimeException ignored) {
            // stopping is best effort: the folder goes either way
        }
    }

    private static void exec(List<String> cmd, Path dir, int seconds) {
        try {
            Path out = Files.createTempFile("assay-pg-cmd", ".log");
            try {
                Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(out.toFile()).start();
                if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", cmd.subList(0, Math.min(cmd.size(), 6))) + " did not finish in " + seconds + " s");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(cmd.get(cmd.indexOf("--") + 1) + " exited " + p.exitValue() + ": "
                            + Files.readString(out).strip());
                }
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + cmd.getFirst(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp folder
                }
            });
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** By hand: starts a cluster, prints its URL and credentials as shell exports, and waits for Enter. */
    public static void main(String[] args) throws IOException {
        try (PostgresCluster c = start(args.length > 0 && args[0].equals("durable"))) {
            System.out.println("export ASSAY_STORE=" + c.url("assay") + " PGUSER=" + c.user() + " PGPASSWORD=" + c.password());
            System.out.println("(Enter stops it)");
            System.in.read();
        }
    }
}
