package dev.assay.sandbox;

/**
 * The outcome of one command. {@code stdout} and {@code stderr} are decoded as UTF-8 (invalid bytes
 * replaced) from at most {@link Limits#outputBytes()} bytes each; the flags say whether more was printed.
 * {@code exitCode} is the shell's: the command's exit status, or 128 + the signal that killed it (-1 when
 * the sandbox ended before reporting one).
 */
public record ExecResult(String stdout, String stderr, int exitCode, boolean stdoutTruncated,
                         boolean stderrTruncated, StopReason stopReason, long elapsedMillis) {

    public boolean ok() {
        return exitCode == 0 && stopReason == StopReason.EXITED;
    }
}
