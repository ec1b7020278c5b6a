package dev.assay.store.pg;

import dev.assay.store.Store;
import dev.assay.store.StoreProvider;
import dev.assay.store.StoreUrl;

import java.util.Map;

/** Opens postgresql:// stores for {@link dev.assay.store.Stores#open}. */
public final class PgStoreProvider implements StoreProvider {
    @Override
    public boolean accepts(String location) {
        return StoreUrl.isPostgres(location);
    }

    @Override
    public Store open(String option, String location, Map<String, String> env) {
        return PgStore.open(option, location, env);
    }
}
