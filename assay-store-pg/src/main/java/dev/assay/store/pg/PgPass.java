package dev.assay.store.pg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * libpq's password file (https://www.postgresql.org/docs/current/libpq-pgpass.html): lines
 * {@code hostname:port:database:username:password}, {@code *} matching anything, {@code \:} and {@code \\}
 * escapes, {@code #} comments; the first matching line wins. PGPASSFILE names it, else ~/.pgpass.
 */
final class PgPass {
    private PgPass() {
    }

    static String lookup(Map<String, String> env, String host, int port, String database, String user) {
        String named = env.get("PGPASSFILE");
        Path file = named == null || named.isBlank() ? PgConfig.home(env).resolve(".pgpass") : Path.of(named);
        if (!Files.isRegularFile(file)) return null;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        String[] want = {host, String.valueOf(port), database, user};
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) continue;
            List<String> f = fields(line);
            if (f.size() != 5) continue;
            boolean match = true;
            for (int i = 0; i < 4 && match; i++) {
                String v = f.get(i);
                match = v.equals("*") || v.equals(want[i]);
            }
            if (match) return f.get(4);
        }
        return null;
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else if (c == ':' && out.size() < 4) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
