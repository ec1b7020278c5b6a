package dev.assay;

/**
 * Every exit code of the assay command, in one place (README "Exit codes", {@code assay help}). A
 * command returns one of these; an {@link AssayException} carries one; the CLI maps them to the process
 * status. Scripts and CI gates read these numbers, so a value never changes meaning.
 */
public enum ExitCode {
    /** The command did what was asked; for a run, every sample finished (or the errors were within --max-errors). */
    OK(0, "success"),
    /** The evaluation ran but a --fail-under gate failed: a metric below its threshold, or with no values to judge. */
    THRESHOLD_FAILED(1, "a --fail-under gate failed (a metric below its value, or with no values)"),
    /** The user can fix it: usage, an option, a data or replay file, an endpoint that cannot work, a locked run. */
    BAD_INPUT(2, "bad input (the message names the option, file or line); a locked run"),
    /** Stopped before the end (Ctrl-C, SIGTERM, a full disk); finished samples are saved and the run resumes. */
    INTERRUPTED(3, "interrupted (Ctrl-C, a full disk): samples saved, assay run --resume RUN"),
    /** The run finished but samples errored (more than --max-errors allows, or all of them): results are partial or empty. */
    SAMPLE_ERRORS(4, "samples errored (beyond --max-errors, or all): assay run --retry-errors RUN");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }

    /** One line for README and help tables. */
    public String meaning() {
        return meaning;
    }

    /** The code with this status; an unknown status (a framework's own) is bad input. */
    public static ExitCode of(int code) {
        for (ExitCode c : values()) if (c.code == code) return c;
        return BAD_INPUT;
    }

    /** The worse of two outcomes, for commands that run several things (a sweep): the highest code. */
    public ExitCode worse(ExitCode other) {
        return other.code > code ? other : this;
    }

    /** The table for help text: "  0  success" per line. */
    public static String[] table() {
        ExitCode[] all = values();
        String[] lines = new String[all.length];
        for (int i = 0; i < all.length; i++) lines[i] = "  " + all[i].code + "  " + all[i].meaning;
        return lines;
    }
}
