package dev.assay.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.assay.AssayException;
import dev.assay.ExitCode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The append-only per-sample log (samples.jsonl). Each record is written with one write() as it
 * finishes, so a killed process loses at most the line being written; the file is fsync'd every
 * {@value #SYNC_EVERY} records and on close. On reopening, a torn last line is cut off. One process
 * writes a run at a time ({@link RunLock}); the file is opened for append all the same, so even a
 * second writer could never overwrite a record.
 */
public final class RunLog implements dev.assay.store.RecordSink {
    static final int SYNC_EVERY = 64;
    /**
     * Space held beside the log while it is open and given back the moment the disk fills, so that the
     * index can still record "interrupted" and 'assay list runs' can still open it (SQLite needs room
     * for its shared-memory file and journal).
     */
    static final String RESERVE = ".reserve";
    static final int RESERVE_BYTES = 256 * 1024;
    private final Path file;
    private final FileChannel channel;
    private int unsynced;
    private long records;
    private long bytes;

    private RunLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens for appending, first truncating any partial last line a crash left behind. */
    public static RunLog open(Path file) {
        try {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                long size = ch.size();
                long keep = size;
                ByteBuffer one = ByteBuffer.allocate(1);
                // Walk back to the last newline: everything after it is a torn write.
                while (keep > 0) {
                    one.clear();
                    ch.read(one, keep - 1);
                    if (one.get(0) == '\n') break;
                    keep--;
                }
                if (keep < size) ch.truncate(keep);
            }
            reserve(file.resolveSibling(RESERVE));
            return new RunLog(file, FileChannel.open(file, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw noRoom(file, e).orElseGet(() -> new AssayException("cannot open run log " + file + ": " + e.getMessage(), e));
        }
    }

    private static void reserve(Path reserve) throws IOException {
        try (FileChannel ch = FileChannel.open(reserve, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(RESERVE_BYTES); // written, not sparse: tmpfs and ext4 both count it
            while (zeros.hasRemaining()) ch.write(zeros, RESERVE_BYTES - zeros.remaining());
        } catch (IOException e) {
            Files.deleteIfExists(reserve);
            throw e;
        }
    }

    private void release() {
        try {
            Files.deleteIfExists(file.resolveSibling(RESERVE));
        } catch (IOException ignored) {
            // nothing more to give back
        }
    }

    /**
     * Appends one record. Out of room (a full disk, a file-size limit), the partial line is cut off again
     * and the run stops with {@link NoRoom}: what was logged before stays whole, so resume continues.
     */
    @Override
    public synchronized void append(SampleRecord record) {
        byte[] line;
        try {
            line = (Json.MAPPER.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the record of " + record.id(), e);
        }
        long before = -1;
        try {
            before = channel.size();
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) channel.write(buf);
            records++;
            bytes += line.length;
            if (++unsynced >= SYNC_EVERY) sync();
        } catch (IOException e) {
            if (before >= 0) {
                try {
                    channel.truncate(before);
                } catch (IOException ignored) {
                    // the torn line is cut when the log is next opened
                }
            }
            release();
            throw noRoom(file, e).orElseGet(() -> new AssayException(ExitCode.INTERRUPTED,
                    "cannot write " + file + ": " + e.getMessage(), e));
        }
    }

    /** Mean bytes per record written by this log so far (0 before the first). */
    @Override
    public synchronized long bytesPerRecord() {
        return records == 0 ? 0 : bytes / records;
    }

    @Override
    public synchronized void sync() {
        try {
            channel.force(false);
            unsynced = 0;
        } catch (IOException e) {
            throw noRoom(file, e).orElseGet(() -> new AssayException(ExitCode.INTERRUPTED, "cannot sync " + file + ": " + e.getMessage(), e));
        }
    }

    @Override
    public synchronized void close() {
        release();
        try {
            if (channel.isOpen()) {
                channel.force(false);
                channel.close();
            }
        } catch (IOException e) {
            throw noRoom(file, e).orElseGet(() -> new AssayException(ExitCode.INTERRUPTED, "cannot close " + file + ": " + e.getMessage(), e));
        }
    }

    /**
     * The run store ran out of room while writing {@code file}: exit 3 (interrupted, resumable). The
     * Runner adds how much more the rest of the run needs ({@link #needing}).
     */
    public static final class NoRoom extends AssayException {
        private final Path file;
        private final String cause;

        NoRoom(Path file, String cause, Throwable e) {
            super(ExitCode.INTERRUPTED, "no room to write " + file + " (" + cause + ")", e);
            this.file = file;
            this.cause = cause;
        }

        public Path file() {
            return file;
        }

        /** The one-line message with the free space there, the space needed and how to go on. */
        public AssayException needing(long moreBytes, String resumeHint) {
            long usable = -1;
            try {
                usable = Files.getFileStore(file.getParent()).getUsableSpace();
            } catch (IOException ignored) {
                // the free space is a courtesy; the path and the need are what matter
            }
            return new AssayException(ExitCode.INTERRUPTED, "no room to write " + file + " (" + cause + "): "
                    + (usable >= 0 ? size(usable) + " free there, " : "") + "about " + size(moreBytes)
                    + " more needed to finish. Finished samples are saved; make room, then: " + resumeHint, this);
        }
    }

    /** Whether an I/O error means "out of room" (ENOSPC, EDQUOT, EFBIG): then a {@link NoRoom}. */
    static java.util.Optional<AssayException> noRoom(Path file, IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        String cause = m.contains("no space left") ? "the disk is full"
                : m.contains("quota") ? "the disk quota is exceeded"
                : m.contains("file too large") ? "the file-size limit is reached (ulimit -f)" : null;
        return cause == null ? java.util.Optional.empty() : java.util.Optional.of(new NoRoom(file, cause, e));
    }

    static String size(long b) {
        if (b < 1024) return b + " B";
        if (b < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        if (b < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.1f GiB", b / (1024.0 * 1024 * 1024));
    }

    /**
     * Reads every complete record. Where a (suite, id, epoch) appears more than once, a record replaces an
     * errored one (an errored sample retried on resume) but never a finished one: the first finished
     * record wins, as {@link #repair} keeps it. A torn last line is ignored.
     */
    public static Map<String, SampleRecord> read(Path file) {
        return read(file, false);
    }

    /**
     * The same records with only what results, usage and distributions are computed from: scores, metadata,
     * method, error, and each model call's role, model, op, tokens, latency, cache flag, error and (score
     * calls) log-probs — no prompts, texts, tool calls, snapshots or notes. The file is read a line at a time,
     * so memory grows with the number of records by a few hundred bytes each, not with what each episode
     * logged: what a run of 10^4–10^5 agent episodes needs at its end and on resume. Never written back.
     */
    public static Map<String, SampleRecord> readSummaries(Path file) {
        return read(file, true);
    }

    private static Map<String, SampleRecord> read(Path file, boolean summaries) {
        Map<String, SampleRecord> out = new LinkedHashMap<>();
        if (!Files.exists(file)) return out;
        int[] n = {0};
        eachLine(file, line -> {
            n[0]++;
            if (line.isBlank()) return;
            SampleRecord r = parse(line);
            if (r == null) {
                throw new AssayException(file + ":" + n[0] + ": not a sample record (" + parseError(line)
                        + "). If two processes wrote this run, 'assay run --resume " + file.getParent().getFileName() + "' repairs it.");
            }
            if (summaries) r = summary(r);
            SampleRecord prior = out.get(r.key());
            if (prior != null && prior.ok()) return;
            out.remove(r.key());
            out.put(r.key(), r);
        });
        return out;
    }

    /** A record reduced to what results, usage and distributions need (see {@link #readSummaries}). */
    public static SampleRecord summary(SampleRecord r) {
        List<dev.assay.event.Event> calls = new ArrayList<>();
        for (dev.assay.event.Event e : r.events()) {
            if (!(e instanceof dev.assay.event.ModelCall c)) continue;
            Object lps = "score".equals(c.op()) ? c.response().get("logprobs") : null;
            calls.add(new dev.assay.event.ModelCall(c.role(), c.step(), c.origin(), c.op(), c.model(), null, Map.of(),
                    lps == null ? Map.of() : Map.of("logprobs", lps), c.promptTokens(), c.completionTokens(), c.millis(), c.cached(),
                    c.error(), c.condition()));
        }
        return new SampleRecord(r.suite(), r.id(), r.epoch(), r.seed(), r.method(), r.target(), r.metadata(), calls, Map.of(),
                r.scores(), r.error(), r.millis());
    }

    /** Each complete, non-blank line of a log in order, streamed (nothing if the file does not exist). */
    public static void eachRecordLine(Path file, java.util.function.Consumer<String> each) {
        if (!Files.exists(file)) return;
        eachLine(file, line -> {
            if (!line.isBlank()) each.accept(line);
        });
    }

    /** Each complete line in order, streamed; a last line without its '\n' is a torn write and skipped. */
    private static void eachLine(Path file, java.util.function.Consumer<String> each) {
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            boolean complete;
            try (var raf = new java.io.RandomAccessFile(file.toFile(), "r")) {
                long len = raf.length();
                if (len == 0) return;
                raf.seek(len - 1);
                complete = raf.read() == '\n';
            }
            String line = in.readLine();
            while (line != null) {
                String next = in.readLine();
                if (next != null || complete) each.accept(line);
                line = next;
            }
        } catch (IOException e) {
            throw new AssayException("cannot read run log " + file + ": " + e.getMessage(), e);
        }
    }

    /** What {@link #repair} did: records dropped as duplicates of a finished sample, unreadable lines dropped. */
    public record Repair(int duplicates, int unreadable) {
        public boolean changed() {
            return duplicates > 0 || unreadable > 0;
        }
    }

    /**
     * Rewrites a log that two writers left behind: keeps every line up to and including the first finished
     * record of each sample, drops later records of a finished sample (duplicates) and unreadable lines,
     * and replaces the file atomically. An untouched log is left as it is.
     */
    public static Repair repair(Path file) {
        if (!Files.exists(file)) return new Repair(0, 0);
        List<String> keep = new ArrayList<>();
        Set<String> finished = new HashSet<>();
        int duplicates = 0;
        int unreadable = 0;
        for (String line : lines(file)) {
            if (line.isBlank()) continue;
            SampleRecord r = parse(line);
            if (r == null) {
                unreadable++;
                continue;
            }
            if (finished.contains(r.key())) {
                duplicates++;
                continue;
            }
            if (r.ok()) finished.add(r.key());
            keep.add(line);
        }
        Repair result = new Repair(duplicates, unreadable);
        if (!result.changed()) return result;
        Path tmp = file.resolveSibling(file.getFileName() + ".repair");
        try {
            Files.write(tmp, keep, StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw noRoom(tmp, e).orElseGet(() -> new AssayException("cannot repair " + file + ": " + e.getMessage(), e));
        }
        return result;
    }

    /** Complete lines: the element after the last '\n' is either "" or a torn write. */
    private static List<String> lines(Path file) {
        try {
            String all = Files.readString(file, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(all.split("\n", -1)));
            lines.removeLast();
            return lines;
        } catch (IOException e) {
            throw new AssayException("cannot read run log " + file + ": " + e.getMessage(), e);
        }
    }

    /** One record line, or bad input naming {@code where} if it is not a sample record. */
    public static SampleRecord parseRecord(String line, String where) {
        SampleRecord r = parse(line);
        if (r == null) throw new AssayException(where + ": not a sample record (" + parseError(line) + ")");
        return r;
    }

    /** A record as one log line (no newline): what samples.jsonl and the samples table hold. */
    public static String toLine(SampleRecord record) {
        try {
            return Json.MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the record of " + record.id(), e);
        }
    }

    private static SampleRecord parse(String line) {
        try {
            return Json.MAPPER.readValue(line, SampleRecord.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String parseError(String line) {
        try {
            Json.MAPPER.readValue(line, SampleRecord.class);
            return "?";
        } catch (JsonProcessingException e) {
            return e.getOriginalMessage();
        }
    }
}
