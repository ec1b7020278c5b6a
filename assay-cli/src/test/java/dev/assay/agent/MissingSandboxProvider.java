package dev.assay.agent;

import dev.assay.AssayException;
import dev.assay.sandbox.Limits;
import dev.assay.sandbox.Sandbox;
import dev.assay.sandbox.SandboxProvider;

import java.nio.file.Path;

/**
 * A sandbox provider that cannot run here, as bwrap cannot where bubblewrap is not installed (whose own
 * message is tested in assay-sandbox): it shows that the runner checks before the first model call.
 */
public final class MissingSandboxProvider implements SandboxProvider {
    static final String MESSAGE = "the 'missing' sandbox is not installed: apt-get install -y missing-sandbox";

    @Override
    public String name() {
        return "missing";
    }

    @Override
    public void check() {
        throw new AssayException(MESSAGE);
    }

    @Override
    public Sandbox open(Path fixture, Limits limits) {
        throw new AssertionError("opened although check() failed");
    }
}
