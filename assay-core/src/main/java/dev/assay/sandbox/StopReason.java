package dev.assay.sandbox;

/** Why a command stopped. */
public enum StopReason {
    /** It exited by itself (any exit code, or a signal other than the ones below). */
    EXITED,
    /** It ran past its wall time and was killed, with every other process in the sandbox. */
    TIMEOUT,
    /** It used up its CPU time (killed by SIGXCPU). */
    CPU,
    /** It tried to write a file larger than the limit (killed by SIGXFSZ). */
    FILE_SIZE,
    /** It printed more than the output limit and was killed, with every other process in the sandbox. */
    OUTPUT,
    /** The sandbox itself ended or stopped answering; the sandbox cannot run more commands. */
    SANDBOX_ENDED
}
