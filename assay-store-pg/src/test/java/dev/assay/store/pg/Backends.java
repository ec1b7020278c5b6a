package dev.assay.store.pg;

import dev.assay.store.Store;
import dev.assay.store.Stores;
import dev.assay.store.fake.PostgresCluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The two backends the store tests run against: a folder, and a fresh database in the shared real PostgreSQL cluster. */
enum Backends {
    FOLDER, POSTGRESQL;

    Store open(Path tmp) throws Exception {
        return switch (this) {
            case FOLDER -> Stores.open("--store", Files.createTempDirectory(tmp, "folder").toString());
            case POSTGRESQL -> {
                PostgresCluster pg = PostgresCluster.shared();
                yield Stores.open("--store", pg.url(pg.newDatabase("store")), env(pg));
            }
        };
    }

    /** What a user's shell would hold: the role and password in PG* variables, nothing in the URL. */
    static Map<String, String> env(PostgresCluster pg) {
        Map<String, String> env = new LinkedHashMap<>(pg.env());
        env.put("HOME", System.getProperty("java.io.tmpdir"));
        return env;
    }
}
