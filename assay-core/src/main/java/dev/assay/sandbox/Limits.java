package dev.assay.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Hard limits for one sandbox. {@code wallTime}, {@code cpuTime}, {@code memoryBytes} (address space),
 * {@code fileSizeBytes} (largest file a command may write) and {@code outputBytes} (kept per stream) apply to
 * each command; {@code processes} counts every process and thread alive in the sandbox at once;
 * {@code diskBytes} is the size of each writable file system (the tree, {@code /tmp}, {@code /dev/shm}).
 */
public record Limits(Duration wallTime, Duration cpuTime, long memoryBytes, int processes, long fileSizeBytes,
                     long diskBytes, long outputBytes) {

    /** 30 s wall and CPU per command, 1 GiB memory, 64 processes, 64 MiB files, 128 MiB disk, 1 MiB output. */
    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 1L << 30, 64,
            64L << 20, 128L << 20, 1L << 20);

    public Limits {
        Objects.requireNonNull(wallTime, "wallTime");
        Objects.requireNonNull(cpuTime, "cpuTime");
        if (wallTime.isNegative() || wallTime.isZero()) throw new IllegalArgumentException("wallTime must be > 0");
        if (cpuTime.toSeconds() < 1) throw new IllegalArgumentException("cpuTime must be at least 1 s");
        if (memoryBytes < 16L << 20) throw new IllegalArgumentException("memoryBytes must be at least 16 MiB");
        if (processes < 1) throw new IllegalArgumentException("processes must be >= 1");
        if (fileSizeBytes < 1024) throw new IllegalArgumentException("fileSizeBytes must be at least 1 KiB");
        if (diskBytes < 1L << 20) throw new IllegalArgumentException("diskBytes must be at least 1 MiB");
        if (outputBytes < 1) throw new IllegalArgumentException("outputBytes must be >= 1");
    }

    public Limits withWallTime(Duration d) {
        return new Limits(d, cpuTime, memoryBytes, processes, fileSizeBytes, diskBytes, outputBytes);
    }

    public Limits withCpuTime(Duration d) {
        return new Limits(wallTime, d, memoryBytes, processes, fileSizeBytes, diskBytes, outputBytes);
    }

    public Limits withMemoryBytes(long n) {
        return new Limits(wallTime, cpuTime, n, processes, fileSizeBytes, diskBytes, outputBytes);
    }

    public Limits withProcesses(int n) {
        return new Limits(wallTime, cpuTime, memoryBytes, n, fileSizeBytes, diskBytes, outputBytes);
    }

    public Limits withFileSizeBytes(long n) {
        return new Limits(wallTime, cpuTime, memoryBytes, processes, n, diskBytes, outputBytes);
    }

    public Limits withDiskBytes(long n) {
        return new Limits(wallTime, cpuTime, memoryBytes, processes, fileSizeBytes, n, outputBytes);
    }

    public Limits withOutputBytes(long n) {
        return new Limits(wallTime, cpuTime, memoryBytes, processes, fileSizeBytes, diskBytes, n);
    }
}
