package dev.assay.store.pg;

import dev.assay.AssayException;
import dev.assay.store.StoreUrl;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where and as whom to connect, from {@code postgresql://[USER@]HOST[:PORT]/DATABASE[?sslmode=…]} and the
 * environment as libpq reads it: PGHOST, PGPORT, PGDATABASE, PGUSER for what the URL leaves out, the password
 * from PGPASSWORD or a pgpass file (PGPASSFILE, else ~/.pgpass). A password in the URL is refused
 * ({@link StoreUrl#refusePassword}). The password goes to the driver as a property, never into a URL.
 */
record PgConfig(String option, String url, String host, int port, String database, String user, String password,
                Map<String, String> params) {

    static PgConfig parse(String option, String location, Map<String, String> env) {
        String loc = location.strip();
        StoreUrl.refusePassword(option, loc);
        String rest = loc.replaceFirst("^(?i)(jdbc:)?postgres(ql)?://", "");
        URI uri;
        try {
            uri = new URI("postgresql://" + rest);
        } catch (URISyntaxException e) {
            throw bad(option, loc, "not a URL (" + e.getReason() + ")");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) host = env.getOrDefault("PGHOST", "localhost");
        if (host.startsWith("/")) throw bad(option, loc, "a socket folder is not supported; give a host");
        int port = uri.getPort();
        if (port < 0) {
            String p = env.get("PGPORT");
            try {
                port = p == null || p.isBlank() ? 5432 : Integer.parseInt(p.strip());
            } catch (NumberFormatException e) {
                throw new AssayException("PGPORT=" + p + ": not a port number (" + option + ")");
            }
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (path.contains("/")) throw bad(option, loc, "the path must be one database name");
        String database = path.isEmpty() ? null : URLDecoder.decode(path, StandardCharsets.UTF_8);
        String user = uri.getRawUserInfo() == null ? null : URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
        if (user == null || user.isEmpty()) user = env.get("PGUSER");
        if (user == null || user.isEmpty()) user = System.getProperty("user.name");
        if (database == null) database = env.getOrDefault("PGDATABASE", user);
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String kv : uri.getRawQuery().split("&")) {
                if (kv.isEmpty()) continue;
                int eq = kv.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                if (k.equalsIgnoreCase("user")) {
                    user = v;
                    continue;
                }
                params.put(k, v);
            }
        }
        String password = env.get("PGPASSWORD");
        if (password == null || password.isEmpty()) password = PgPass.lookup(env, host, port, database, user);
        String shown = "postgresql://" + (uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@")
                + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
        return new PgConfig(option, shown, host, port, database, user, password, Map.copyOf(params));
    }

    private static AssayException bad(String option, String loc, String why) {
        return new AssayException(option + " " + StoreUrl.masked(loc) + ": " + why
                + "; expected postgresql://[USER@]HOST[:PORT]/DATABASE (the password in PGPASSWORD or ~/.pgpass)");
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /** Driver properties: credentials, fail-fast timeouts, the application name other sessions see. */
    Properties properties(String application, boolean readOnly) {
        Properties p = new Properties();
        params.forEach(p::setProperty);
        if (readOnly) {
            // The server refuses every write in these sessions: the viewer over a shared store cannot change it.
            p.setProperty("options", (p.getProperty("options", "") + " -c default_transaction_read_only=on").strip());
            p.setProperty("readOnly", "true");
        }
        p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        p.putIfAbsent("connectTimeout", "5");
        p.putIfAbsent("loginTimeout", "10");
        p.putIfAbsent("tcpKeepAlive", "true");
        p.putIfAbsent("reWriteBatchedInserts", "true"); // a batch of appended records goes as multi-row INSERTs
        p.setProperty("ApplicationName", application);
        return p;
    }

    @Override
    public String toString() {
        return url; // never the password
    }

    static Path home(Map<String, String> env) {
        String h = env.get("HOME");
        return Path.of(h == null || h.isBlank() ? System.getProperty("user.home") : h);
    }
}
