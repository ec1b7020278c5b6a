package dev.assay.cli;

import dev.assay.AssayException;
import dev.assay.store.Store;
import dev.assay.store.StoreUrl;
import dev.assay.store.Stores;
import dev.assay.store.pg.PgStore;

/**
 * What the distributed-run commands (run --detach, worker, status, results) share: they need a store other
 * machines can reach, so a PostgreSQL one; a folder, a malformed URL or a server that does not answer is bad
 * input (exit 2) naming --store, before anything else happens.
 */
final class Distributed {
    static final String OPTION = "--store";

    private Distributed() {
    }

    /** The PostgreSQL store named by --store (or ASSAY_STORE), opened and migrated; exit 2 naming the option otherwise. */
    static PgStore open(String location, String command) {
        if (location == null || location.isBlank()) {
            throw new AssayException(command + " needs " + OPTION + " postgresql://HOST[:PORT]/DATABASE (or ASSAY_STORE): the PostgreSQL "
                    + "store the run's workers share (credentials from PGUSER/PGPASSWORD or a pgpass file)");
        }
        if (!StoreUrl.isPostgres(location)) {
            throw new AssayException(OPTION + " " + StoreUrl.masked(location) + ": " + command + " needs a PostgreSQL store "
                    + "(postgresql://HOST[:PORT]/DATABASE) that every worker can reach, not a folder");
        }
        Store s = Stores.open(OPTION, location);
        if (s instanceof PgStore pg) return pg;
        s.close();
        throw new AssayException(OPTION + " " + StoreUrl.masked(location) + ": not a PostgreSQL store");
    }

    /** The command's store (--store / ASSAY_STORE) if it is PostgreSQL; exit 2 naming --store otherwise. */
    static PgStore require(Store s, String command) {
        if (s instanceof PgStore pg) return pg;
        throw new AssayException(command + " needs " + OPTION + " postgresql://HOST[:PORT]/DATABASE (or ASSAY_STORE), the PostgreSQL store "
                + "every worker can reach; this run's store is the folder " + s.location());
    }
}
