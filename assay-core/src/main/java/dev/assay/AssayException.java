package dev.assay;

/**
 * An error the user can cause and fix: bad input, a bad option, a broken file, an unreachable endpoint.
 * The message names the file, line or option and says what to do. The CLI prints it without a stack
 * trace and exits with {@link #exit()} ({@link ExitCode#BAD_INPUT} unless said otherwise).
 */
public class AssayException extends RuntimeException {
    private final ExitCode exit;

    public AssayException(String message) {
        this(message, null);
    }

    public AssayException(String message, Throwable cause) {
        this(ExitCode.BAD_INPUT, message, cause);
    }

    public AssayException(ExitCode exit, String message) {
        this(exit, message, null);
    }

    public AssayException(ExitCode exit, String message, Throwable cause) {
        super(message, cause);
        this.exit = exit;
    }

    /** @deprecated give an {@link ExitCode}; kept so callers that pass a number still compile. */
    @Deprecated
    public AssayException(int exitCode, String message, Throwable cause) {
        this(ExitCode.of(exitCode), message, cause);
    }

    public ExitCode exit() {
        return exit;
    }

    /** The process exit status, {@code exit().code()}. */
    public int exitCode() {
        return exit.code();
    }
}
