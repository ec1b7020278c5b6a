package dev.assay.sandbox.bwrap;

import dev.assay.AssayException;
import dev.assay.sandbox.Limits;
import dev.assay.sandbox.Sandbox;
import dev.assay.sandbox.SandboxProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sandboxes under bubblewrap ({@code bwrap}, Debian package {@code bubblewrap}). See the module README for
 * what is isolated and what is not.
 */
public final class BwrapProvider implements SandboxProvider {

    static final String INSTALL = "apt-get install -y bubblewrap";
    /** The host uid sandboxes run as when Assay runs as root (RLIMIT_NPROC does not bind uid 0). */
    static final int NOBODY = 65534;

    /** Set up once per JVM: which binaries, whether we are root, the shared read-only files. */
    private static volatile Host host;

    @Override
    public String name() {
        return "bwrap";
    }

    @Override
    public void check() {
        host();
    }

    @Override
    public Sandbox open(Path fixture, Limits limits) {
        if (fixture != null && !Files.isDirectory(fixture)) {
            throw new AssayException("sandbox fixture " + fixture + " is not a directory");
        }
        return BwrapSandbox.open(host(), fixture, limits);
    }

    static Host host() {
        Host h = host;
        if (h == null) {
            // A benign race: two threads may both probe; either result is the same.
            h = Host.probe();
            host = h;
        }
        return h;
    }

    /** What the host offers, found once. */
    record Host(String bwrap, String setpriv, boolean root, Path shared, List<String> systemArgs) {

        static Host probe() {
            return probe(searchPath());
        }

        /** {@code dirs}: where to look for bwrap and setpriv. */
        static Host probe(List<String> dirs) {
            String bwrap = find(dirs, "bwrap");
            if (bwrap == null) {
                throw new AssayException("bubblewrap (bwrap) is not installed, and the sandbox needs it: "
                        + INSTALL + " (Debian/Ubuntu; Fedora: dnf install bubblewrap)");
            }
            boolean root = uid() == 0;
            String setpriv = null;
            if (root) {
                setpriv = find(dirs, "setpriv");
                if (setpriv == null) {
                    throw new AssayException("running as root, the sandbox drops to uid " + NOBODY
                            + " with setpriv, which is missing: apt-get install -y util-linux");
                }
            }
            Path shared = sharedFiles();
            Host h = new Host(bwrap, setpriv, root, shared, BwrapProvider.systemArgs());
            h.smokeTest();
            return h;
        }

        /** Runs {@code true} in a sandbox so that missing user namespaces fail here, with bwrap's words. */
        private void smokeTest() {
            List<String> cmd = new ArrayList<>(prefix());
            cmd.addAll(List.of("--unshare-user", "--unshare-pid", "--unshare-net", "--ro-bind", "/usr", "/usr"));
            cmd.addAll(systemArgs);
            cmd.addAll(List.of("/bin/true"));
            try {
                var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
                pb.environment().clear();
                Process p = pb.start();
                p.getOutputStream().close();
                String out;
                try (InputStream in = p.getInputStream()) {
                    out = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
                }
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssayException("bwrap did not start a test sandbox within 30 s");
                }
                if (p.exitValue() != 0) {
                    throw new AssayException("bwrap cannot create a sandbox here (exit " + p.exitValue() + "): " + out
                            + ". It needs user namespaces: check `sysctl user.max_user_namespaces` (> 0), "
                            + "kernel.unprivileged_userns_clone=1 on older Debian kernels, or an AppArmor profile "
                            + "allowing bwrap (Ubuntu 24.04+)");
                }
            } catch (IOException e) {
                throw new AssayException("cannot run " + bwrap + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssayException(3, "interrupted while testing bwrap", e);
            }
        }

        /** setpriv (as root) then bwrap. */
        List<String> prefix() {
            List<String> cmd = new ArrayList<>();
            if (root) {
                cmd.addAll(List.of(setpriv, "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
            }
            cmd.add(bwrap);
            return cmd;
        }

        Path driver() {
            return shared.resolve("driver.sh");
        }
    }

    /** /bin, /lib, ...: a symlink into /usr on merged-/usr systems, else a read-only bind. */
    private static List<String> systemArgs() {
        List<String> args = new ArrayList<>();
        for (String d : List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32")) {
            Path p = Path.of("/", d);
            try {
                if (Files.isSymbolicLink(p)) {
                    args.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), "/" + d));
                } else if (Files.isDirectory(p)) {
                    args.addAll(List.of("--ro-bind", "/" + d, "/" + d));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return args;
    }

    /**
     * The driver script and a passwd/group naming the sandbox's user, in a world-readable directory (the
     * sandbox runs as nobody when we are root, and binds these read-only).
     */
    private static Path sharedFiles() {
        try {
            Path dir = Files.createTempDirectory("assay-sandbox-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            byte[] driver;
            try (InputStream in = BwrapProvider.class.getResourceAsStream("driver.sh")) {
                if (in == null) throw new IllegalStateException("driver.sh missing from the assay-sandbox jar");
                driver = in.readAllBytes();
            }
            write(dir.resolve("driver.sh"), driver);
            write(dir.resolve("passwd"), ("sandbox:x:" + BwrapSandbox.UID + ":" + BwrapSandbox.UID
                    + ":sandbox:/work:/bin/bash\n").getBytes(StandardCharsets.UTF_8));
            write(dir.resolve("group"), ("sandbox:x:" + BwrapSandbox.UID + ":\n").getBytes(StandardCharsets.UTF_8));
            for (String f : List.of("driver.sh", "passwd", "group")) dir.resolve(f).toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new AssayException("cannot write the sandbox's shared files under "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path p, byte[] b) throws IOException {
        Files.write(p, b);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static List<String> searchPath() {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of((path == null ? "" : path).split(":")));
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        return dirs;
    }

    private static String find(List<String> dirs, String exe) {
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, exe);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new AssayException("the bwrap sandbox needs Linux (/proc/self is unreadable: " + e.getMessage() + ")");
        }
    }
}
