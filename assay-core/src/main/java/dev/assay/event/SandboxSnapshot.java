package dev.assay.event;

import dev.assay.sandbox.Snapshot;

/**
 * The files a sandbox episode changed against its fixture, taken when it ended
 * ({@link dev.assay.sandbox.Sandbox}'s {@link Snapshot}: path, change, type, size, SHA-256, mode, and the
 * contents when small UTF-8 text), so re-scoring never needs the sandbox again.
 */
public record SandboxSnapshot(String step, Snapshot snapshot) implements Event {
    public static final String TYPE = "sandbox_snapshot";
}
