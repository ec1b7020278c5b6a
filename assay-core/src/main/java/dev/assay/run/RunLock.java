package dev.assay.run;

import dev.assay.AssayException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive writer's lock on a run folder: an OS file lock on {@value #FILE} (fcntl on Linux), so
 * the kernel drops it when the holding process dies however it dies (SIGKILL included) and a stale lock
 * cannot exist. The file holds the holder's PID for the message a second writer gets; the lock, not the
 * file's presence, is what counts.
 */
public final class RunLock implements dev.assay.store.WriterLock {
    public static final String FILE = "lock";
    /**
     * Runs this JVM holds. POSIX locks belong to the process and closing any descriptor of the file drops
     * them all, so this JVM never opens a lock file it holds: it answers from here instead.
     */
    private static final Map<Path, RunLock> HELD = new ConcurrentHashMap<>();
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock or fails with exit 2 naming the live holder's PID. A few short retries cover a
     * reader ({@link #holder}) that holds it for an instant to look.
     */
    public static synchronized RunLock acquire(Path runDir) {
        Path file = runDir.toAbsolutePath().normalize().resolve(FILE);
        if (HELD.containsKey(file)) throw inUse(runDir, String.valueOf(ProcessHandle.current().pid()));
        for (int attempt = 0; ; attempt++) {
            FileChannel ch = null;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock l = tryLock(ch);
                if (l != null) {
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                    RunLock held = new RunLock(file, ch, l);
                    HELD.put(file, held);
                    return held;
                }
                ch.close();
            } catch (IOException e) {
                closeQuietly(ch);
                throw new AssayException("cannot lock run " + runDir.getFileName() + " (" + file + "): " + e.getMessage(), e);
            }
            if (attempt >= 5) throw inUse(runDir, pidIn(file));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssayException("interrupted while locking run " + runDir.getFileName());
            }
        }
    }

    private static AssayException inUse(Path runDir, String pid) {
        return new AssayException("run " + runDir.getFileName() + " is in use by process " + pid
                + " (another assay writing it); only one process may write a run. Wait for it to finish or stop it"
                + (pid.equals("?") ? "" : " (kill " + pid + ")") + ", then run again.");
    }

    /**
     * The PID of the live process writing this run, or null if none is (the run finished, or its process
     * died). Looks by trying the lock for an instant.
     */
    public static String holder(Path runDir) {
        Path file = runDir.toAbsolutePath().normalize().resolve(FILE);
        if (HELD.containsKey(file)) return String.valueOf(ProcessHandle.current().pid());
        if (!Files.exists(file)) return null;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = tryLock(ch);
            if (l == null) return pidIn(file);
            l.release();
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Null when another process holds it; this JVM's own lock counts as held (tests run both in one JVM). */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static String pidIn(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return s.isEmpty() ? "?" : s;
        } catch (IOException e) {
            return "?";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing after a failure: the first error is the one to report
        }
    }

    @Override
    public void close() {
        HELD.remove(file, this);
        try {
            if (lock.isValid()) lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the kernel releases the lock with the descriptor in any case
        }
    }
}
