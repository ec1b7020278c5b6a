package dev.assay.store.pg;

import dev.assay.cache.CacheKey;
import dev.assay.cache.ResponseCache;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The response cache as the cache table: shared by every machine using the store. */
final class PgCache implements ResponseCache {
    private final PgStore store;

    PgCache(PgStore store) {
        this.store = store;
    }

    @Override
    public String location() {
        return store.location() + " (table cache)";
    }

    @Override
    public Optional<String> get(CacheKey key) {
        return store.sql("read the response cache", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT response FROM cache WHERE key = ?")) {
                ps.setString(1, key.hex());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public void put(CacheKey key, String model, String op, String valueJson) {
        store.sql("write the response cache", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO cache (key, model, op, created_ms, response) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET model = EXCLUDED.model, op = EXCLUDED.op,
                      created_ms = EXCLUDED.created_ms, response = EXCLUDED.response""")) {
                ps.setString(1, key.hex());
                ps.setString(2, model);
                ps.setString(3, op);
                ps.setLong(4, System.currentTimeMillis());
                ps.setString(5, valueJson);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Entry> list() {
        return store.sql("list the response cache", c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT model, op, count(*), sum(octet_length(response)), min(created_ms), "
                    + "max(created_ms) FROM cache GROUP BY model, op ORDER BY model, op");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6))));
                }
            }
            return out;
        });
    }

    @Override
    public int prune(Instant before, String model) {
        return store.sql("prune the response cache", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM cache WHERE created_ms < ?" + (model == null ? "" : " AND model = ?"))) {
                ps.setLong(1, before.toEpochMilli());
                if (model != null) ps.setString(2, model);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int clear() {
        return store.sql("clear the response cache", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM cache")) {
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long size() {
        return store.sql("count the response cache", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM cache"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void close() {
        // the store owns the connections
    }
}
