package dev.assay.sandbox;

import java.time.Duration;

/**
 * One live sandbox: a private copy of the episode's fixture at the working directory, a real bash, no
 * network and hard {@link Limits}. Commands run one at a time (one caller per sandbox); each is a fresh
 * {@code bash -c COMMAND} in the tree's root, so a {@code cd} or a variable does not carry over to the next
 * command, while files and background processes do (until {@link #snapshot()} or {@link #close()}).
 */
public interface Sandbox extends AutoCloseable {

    /** Runs {@code command} with the sandbox's limits. */
    default ExecResult exec(String command) {
        return exec(command, limits().wallTime());
    }

    /** Runs {@code command} with its own wall-time limit (the other limits stay). */
    ExecResult exec(String command, Duration wallTime);

    /**
     * Stops every process still running in the sandbox (so nothing changes the tree while it is read) and
     * returns the tree against the fixture. Commands may run again afterwards.
     *
     * @throws IllegalStateException if the sandbox has already ended (its tree is gone)
     */
    Snapshot snapshot();

    Limits limits();

    /** Ends the sandbox: no process started in it outlives this call, and its tree is deleted. Idempotent. */
    @Override
    void close();
}
