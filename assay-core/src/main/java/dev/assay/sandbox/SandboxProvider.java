package dev.assay.sandbox;

import dev.assay.AssayException;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A kind of sandbox, found through {@link ServiceLoader} (register the class in
 * {@code META-INF/services/dev.assay.sandbox.SandboxProvider}). Implementations must allow many sandboxes
 * open at once from many threads.
 */
public interface SandboxProvider {

    /** Short name, e.g. "bwrap". */
    String name();

    /**
     * Checks that this provider can run here.
     *
     * @throws AssayException (exit 2) saying what is missing and how to install it
     */
    void check();

    /**
     * Opens a sandbox whose tree starts as a copy of {@code fixture} (a directory; null for an empty tree).
     *
     * @throws AssayException if the provider cannot run here or the fixture is not a readable directory
     */
    Sandbox open(Path fixture, Limits limits);

    /** Every provider on the class path. */
    static List<SandboxProvider> all() {
        return ServiceLoader.load(SandboxProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** The provider called {@code name}, or an {@link AssayException} listing the known ones. */
    static SandboxProvider named(String name) {
        List<SandboxProvider> all = all();
        return all.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new AssayException(
                "no sandbox provider '" + name + "'" + (all.isEmpty()
                        ? ": none is on the class path (the assay-sandbox module provides 'bwrap')"
                        : "; known: " + String.join(", ", all.stream().map(SandboxProvider::name).toList()))));
    }
}
