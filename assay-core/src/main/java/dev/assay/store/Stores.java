package dev.assay.store;

import dev.assay.AssayException;

import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

/** Opens a {@link Store} from what the user gave: {@code --store URL|DIR}, {@code ASSAY_STORE}, or {@code --out DIR}. */
public final class Stores {
    /** The environment variable naming the store when no --store is given. */
    public static final String ENV = "ASSAY_STORE";

    private Stores() {
    }

    /** A folder store (the embedded default: run folders, index.sqlite, response-cache.sqlite). */
    public static Store folder(Path root) {
        return new FolderStore(root);
    }

    /**
     * The environment credentials are read from, when a caller binds one (the CLI entry point binds the
     * environment it was given, so in-process tests pass PGUSER/PGPASSWORD without touching the real one).
     */
    public static final ScopedValue<Map<String, String>> ENVIRONMENT = ScopedValue.newInstance();

    /** {@link #open(String, String, Map)} with {@link #ENVIRONMENT}, else this process's environment. */
    public static Store open(String option, String location) {
        return open(option, location, ENVIRONMENT.isBound() ? ENVIRONMENT.get() : System.getenv());
    }

    /**
     * A PostgreSQL URL opens the PostgreSQL store (assay-store-pg on the class path), anything else is a
     * folder.
     *
     * @param option the option the location came from, for messages ("--store")
     */
    public static Store open(String option, String location, Map<String, String> env) {
        if (location == null || location.isBlank()) throw new AssayException(option + ": empty; give a folder or a postgresql:// URL");
        if (!StoreUrl.isPostgres(location)) {
            if (location.contains("://")) {
                throw new AssayException(option + " " + StoreUrl.masked(location) + ": unknown kind of store; give a folder or "
                        + "postgresql://[USER@]HOST[:PORT]/DATABASE");
            }
            return folder(Path.of(location));
        }
        for (StoreProvider p : ServiceLoader.load(StoreProvider.class)) {
            if (p.accepts(location)) return p.open(option, location, env);
        }
        throw new AssayException(option + " " + StoreUrl.masked(location) + ": the PostgreSQL store (assay-store-pg) is not on "
                + "the class path of this Assay");
    }
}
