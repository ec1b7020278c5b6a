package dev.assay.store;

import java.util.Map;

/**
 * A store backend found through {@link java.util.ServiceLoader} (META-INF/services/dev.assay.store.StoreProvider):
 * assay-store-pg provides PostgreSQL, so assay-core carries no database driver but SQLite's.
 */
public interface StoreProvider {
    /** Whether this provider opens {@code location} (e.g. a postgresql:// URL). */
    boolean accepts(String location);

    /**
     * Opens the store, creating or migrating its schema; fails fast (exit 2 naming {@code option}) when the
     * location is malformed, unreachable or refuses the credentials.
     *
     * @param env the environment to take credentials from (PGUSER, PGPASSWORD, PGPASSFILE, HOME)
     */
    Store open(String option, String location, Map<String, String> env);
}
