package dev.assay.sandbox.bwrap;

import dev.assay.AssayException;
import dev.assay.sandbox.ExecResult;
import dev.assay.sandbox.Limits;
import dev.assay.sandbox.Sandbox;
import dev.assay.sandbox.Snapshot;
import dev.assay.sandbox.StopReason;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One bwrap sandbox: a bash driver as the sandbox's pid 1 (see driver.sh), fed requests over its stdin; the
 * tree is a size-limited tmpfs that the host reads and writes through {@code /proc/PID/root}.
 */
final class BwrapSandbox implements Sandbox {
    /** The uid and gid commands see. */
    static final int UID = 1000;
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Processes are started from these two long-lived platform threads: bwrap's --die-with-parent is a
     * parent-death signal, which Linux sends when the *thread* that forked exits (an idle carrier thread of
     * the virtual-thread scheduler may exit at any time).
     */
    private static final ExecutorService LAUNCHER = Executors.newFixedThreadPool(2,
            r -> Thread.ofPlatform().daemon().name("assay-sandbox-launcher").unstarted(r));

    private final Path fixture;
    private final Limits limits;
    private final Process process;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final String secret;
    private long driverPid;
    private Path tree;
    private long seq;
    private volatile boolean ended;
    private boolean closed;

    private BwrapSandbox(Path fixture, Limits limits, Process process, String secret) {
        this.fixture = fixture;
        this.limits = limits;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stdout = process.getInputStream();
        this.stderr = process.getErrorStream();
        this.secret = secret;
    }

    static BwrapSandbox open(BwrapProvider.Host host, Path fixture, Limits limits) {
        var pb = new ProcessBuilder(command(host, limits));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        Process p;
        try {
            p = LAUNCHER.submit(pb::start).get();
        } catch (ExecutionException e) {
            throw new AssayException("cannot start bwrap: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssayException(3, "interrupted while starting a sandbox", e);
        }
        byte[] s = new byte[16];
        RANDOM.nextBytes(s);
        var box = new BwrapSandbox(fixture, limits, p, HexFormat.of().formatHex(s));
        try {
            box.start(host);
            return box;
        } catch (RuntimeException e) {
            box.close();
            throw e;
        }
    }

    private static List<String> command(BwrapProvider.Host host, Limits limits) {
        String disk = Long.toString(limits.diskBytes());
        List<String> c = new ArrayList<>(host.prefix());
        c.addAll(List.of("--die-with-parent", "--new-session", "--unshare-user", "--unshare-pid", "--unshare-net",
                "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--as-pid-1",
                "--uid", Integer.toString(UID), "--gid", Integer.toString(UID), "--hostname", "sandbox",
                "--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--setenv", "HOME", "/work",
                "--setenv", "USER", "sandbox", "--setenv", "LANG", "C.UTF-8", "--setenv", "TERM", "dumb",
                "--setenv", "TMPDIR", "/tmp",
                "--ro-bind", "/usr", "/usr"));
        c.addAll(host.systemArgs());
        c.addAll(List.of("--ro-bind-try", "/etc/alternatives", "/etc/alternatives",
                "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
                "--ro-bind", host.shared().resolve("passwd").toString(), "/etc/passwd",
                "--ro-bind", host.shared().resolve("group").toString(), "/etc/group",
                "--ro-bind", host.driver().toString(), "/run/assay/driver.sh",
                "--proc", "/proc", "--dev", "/dev", "--size", disk, "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
                "--size", disk, "--tmpfs", "/tmp", "--size", disk, "--tmpfs", "/work", "--remount-ro", "/",
                "--chdir", "/work", "/bin/bash", "/run/assay/driver.sh",
                Long.toString(Math.max(1, limits.cpuTime().toSeconds())),
                Long.toString(limits.memoryBytes() / 1024),
                // +1: the driver itself counts against RLIMIT_NPROC in the sandbox's user namespace
                Integer.toString(limits.processes() + 1),
                Long.toString(Math.max(1, limits.fileSizeBytes() / 1024))));
        return c;
    }

    /** Hands the driver its secret, waits for "ready", finds its pid, copies the fixture in. */
    private void start(BwrapProvider.Host host) {
        try {
            stdin.write((secret + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            byte[] ready = "ready\n".getBytes(StandardCharsets.US_ASCII);
            for (byte b : ready) {
                int r = stdout.read();
                if (r != b) throw new AssayException("bwrap could not start a sandbox: " + failure() + hint(host));
            }
        } catch (IOException e) {
            throw new AssayException("bwrap could not start a sandbox: " + failure() + hint(host), e);
        }
        driverPid = childOf(process.pid());
        tree = Path.of("/proc", Long.toString(driverPid), "root", "work");
        if (fixture != null) copyIn();
    }

    private static String hint(BwrapProvider.Host host) {
        return host.root() ? " (as root the sandbox runs as uid " + BwrapProvider.NOBODY + ", which must be able to read "
                + host.shared() + "; set java.io.tmpdir to a world-readable directory such as /tmp)" : "";
    }

    private String failure() {
        ended = true;
        try {
            stdin.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
            String err = new String(stderr.readNBytes(8192), StandardCharsets.UTF_8).strip();
            return "exit " + process.waitFor() + (err.isEmpty() ? "" : ": " + err);
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    /** bwrap's only child is the driver (pid 1 inside). */
    private static long childOf(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children")).strip();
            if (!s.isEmpty() && !s.contains(" ")) return Long.parseLong(s);
        } catch (IOException | NumberFormatException e) {
            // no CONFIG_PROC_CHILDREN: fall back to scanning the process table
        }
        List<ProcessHandle> kids = ProcessHandle.of(pid).map(h -> h.children().toList()).orElse(List.of());
        if (kids.size() != 1) throw new IllegalStateException("bwrap " + pid + " has " + kids.size() + " children, expected 1");
        return kids.getFirst().pid();
    }

    /** Unpacks the fixture inside (see {@link Tar} for why not from the host). */
    private void copyIn() {
        byte[] tar;
        try {
            tar = Tar.of(fixture);
        } catch (IOException e) {
            throw new AssayException("cannot read sandbox fixture " + fixture + ": " + e.getMessage(), e);
        }
        ExecResult r = request("t", tar, Duration.ofSeconds(60));
        if (r.exitCode() != 0) {
            throw new AssayException("cannot copy sandbox fixture " + fixture + " into the sandbox (tar exit "
                    + r.exitCode() + "): " + r.stderr().strip() + " (is it larger than the disk limit of "
                    + limits.diskBytes() + " bytes?)");
        }
    }

    /** The driver's host pid (tests look at the host's process table with it). */
    long driverPid() {
        return driverPid;
    }

    @Override
    public Limits limits() {
        return limits;
    }

    @Override
    public ExecResult exec(String command, Duration wallTime) {
        if (command.indexOf('\0') >= 0) throw new IllegalArgumentException("a command cannot contain a NUL byte");
        if (closed) throw new IllegalStateException("sandbox is closed");
        return request("x", command.getBytes(StandardCharsets.UTF_8), wallTime);
    }

    /** One "x" or "t" request: send it, read both streams up to their markers, enforce time and output. */
    private ExecResult request(String op, byte[] body, Duration wallTime) {
        long start = System.nanoTime();
        if (ended) return endedResult(start);
        String tok = secret + "-" + (++seq);
        try {
            stdin.write((op + " " + tok + " " + body.length + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.write(body);
            stdin.flush();
        } catch (IOException e) {
            ended = true;
            return endedResult(start);
        }
        var cause = new AtomicReference<StopReason>();
        Runnable overflow = () -> {
            if (cause.compareAndSet(null, StopReason.OUTPUT)) killCommands();
        };
        var out = new Capture(stdout, "\n" + tok + " ", true, limits.outputBytes(), overflow);
        var err = new Capture(stderr, "\n" + tok + "\n", false, limits.outputBytes(), overflow);
        Thread to = Thread.ofVirtual().name("sandbox-stdout").start(out);
        Thread te = Thread.ofVirtual().name("sandbox-stderr").start(err);
        boolean done = joinBoth(to, te, start + wallTime.toNanos());
        if (!done) {
            if (cause.compareAndSet(null, StopReason.TIMEOUT)) killCommands();
            done = joinBoth(to, te, System.nanoTime() + GRACE.toNanos());
        }
        if (!done || !out.found() || !err.found()) {
            // The driver did not answer: end the sandbox (its readers then see EOF and finish).
            ended = true;
            process.destroyForcibly();
            joinBoth(to, te, System.nanoTime() + GRACE.toNanos());
            StopReason r = cause.get() == null ? StopReason.SANDBOX_ENDED : cause.get();
            return new ExecResult(out.text(), err.text(), -1, out.truncated(), err.truncated(), r, millis(start));
        }
        int status = out.status();
        StopReason reason = cause.get() != null ? cause.get()
                : status == 128 + 24 ? StopReason.CPU
                : status == 128 + 25 ? StopReason.FILE_SIZE
                : StopReason.EXITED;
        return new ExecResult(out.text(), err.text(), status, out.truncated(), err.truncated(), reason, millis(start));
    }

    private static boolean joinBoth(Thread a, Thread b, long deadline) {
        try {
            return a.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                    && b.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssayException(3, "interrupted while a sandbox command ran", e);
        }
    }

    private static ExecResult endedResult(long start) {
        return new ExecResult("", "", -1, false, false, StopReason.SANDBOX_ENDED, millis(start));
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** SIGTERM to the driver, whose trap kills every other process in the sandbox. */
    private void killCommands() {
        ProcessHandle.of(driverPid).ifPresent(ProcessHandle::destroy);
    }

    @Override
    public Snapshot snapshot() {
        if (closed) throw new IllegalStateException("sandbox is closed");
        if (!process.isAlive()) throw new IllegalStateException("sandbox ended before its snapshot: its tree is gone");
        if (ended || !askDriverToStopAll()) killAllFromHost();
        try {
            return Snapshot.compare(fixture, tree);
        } catch (UncheckedIOException e) {
            if (!process.isAlive()) throw new IllegalStateException("sandbox ended during its snapshot", e);
            throw e;
        }
    }

    /** Kills every process but the driver, so nothing changes the tree (or swaps in a symlink) while it is read. */
    private boolean askDriverToStopAll() {
        String tok = secret + "-" + (++seq);
        var out = new Capture(stdout, "\n" + tok + " ", true, 1 << 20, () -> { });
        try {
            stdin.write(("k " + tok + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
        } catch (IOException e) {
            ended = true;
            return false;
        }
        Thread t = Thread.ofVirtual().name("sandbox-stop").start(out);
        if (joinBoth(t, t, System.nanoTime() + GRACE.toNanos()) && out.found()) return true;
        ended = true; // the driver did not answer (a command tampered with its stdin): no more commands
        return false;
    }

    /** The same from the host, repeatedly, since a process may fork while the list is read. */
    void killAllFromHost() {
        for (int round = 0; round < 50; round++) {
            List<ProcessHandle> rest = ProcessHandle.of(driverPid).map(h -> h.descendants().toList()).orElse(List.of());
            if (rest.isEmpty()) return;
            rest.forEach(ProcessHandle::destroyForcibly);
            try {
                Thread.sleep(10); // let the driver reap them
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssayException(3, "interrupted while stopping a sandbox", e);
            }
        }
        throw new IllegalStateException("processes in the sandbox kept running after 50 rounds of SIGKILL");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            stdin.close(); // the driver reads EOF and exits; the kernel then kills what is left in the sandbox
            if (ended || !process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                if (driverPid > 0) ProcessHandle.of(driverPid).ifPresent(ProcessHandle::destroyForcibly);
                process.waitFor();
            }
        } catch (IOException ignored) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(stdout);
            closeQuietly(stderr);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }
}
