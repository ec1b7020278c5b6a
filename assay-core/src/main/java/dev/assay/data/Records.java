package dev.assay.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.AssayException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads data files into JSON records, one per line (JSONL) or row (CSV/TSV with a header). Every
 * record remembers its file and line so that a scorer or loader can name them in an error. A malformed
 * line stops the whole read: nothing half-loaded is evaluated.
 */
public final class Records {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Records() {
    }

    /** A parsed record and where it came from (1-based line). */
    public record Row(Path file, int line, ObjectNode fields) {
        public String where() {
            return file + ":" + line;
        }

        /** A required text field; a clear error naming file and line when it is missing. */
        public String text(String field) {
            JsonNode n = fields.get(field);
            if (n == null || n.isNull()) throw missing(field, "a text field");
            if (!n.isValueNode()) throw new AssayException(where() + ": field '" + field + "' should be text, found " + n.getNodeType());
            return n.asText();
        }

        /** A field that is either one text or a list of texts (e.g. PhilPapers' non-matching answers). */
        public List<String> texts(String field) {
            JsonNode n = fields.get(field);
            if (n == null || n.isNull()) throw missing(field, "text or a list of texts");
            List<String> out = new ArrayList<>();
            if (n.isArray()) n.forEach(e -> out.add(e.asText()));
            else out.add(n.asText());
            if (out.isEmpty()) throw new AssayException(where() + ": field '" + field + "' is an empty list");
            return out;
        }

        public String optText(String field) {
            JsonNode n = fields.get(field);
            return n == null || n.isNull() ? null : n.asText();
        }

        public double number(String field) {
            JsonNode n = fields.get(field);
            if (n == null || n.isNull()) throw missing(field, "a number");
            if (n.isNumber()) return n.asDouble();
            try {
                return Double.parseDouble(n.asText().trim());
            } catch (NumberFormatException e) {
                throw new AssayException(where() + ": field '" + field + "' should be a number, found \"" + n.asText() + "\"");
            }
        }

        private AssayException missing(String field, String what) {
            return new AssayException(where() + ": missing field '" + field + "' (expected " + what
                    + "); fields present: " + fieldNames());
        }

        private String fieldNames() {
            List<String> names = new ArrayList<>();
            fields.fieldNames().forEachRemaining(names::add);
            return names.isEmpty() ? "none" : String.join(", ", names);
        }
    }

    /** Reads a file by its extension: .jsonl/.json lines, .csv, .tsv (and Eval.txt-style files are the caller's). */
    public static List<Row> read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) return readDelimited(file, ',');
        if (name.endsWith(".tsv")) return readDelimited(file, '\t');
        return readJsonl(file);
    }

    /**
     * The first {@code limit} records of a JSONL data file (all of them for 0): what a suite reads per file
     * under --limit. A file with no records at all is an error, not an empty evaluation.
     */
    public static List<Row> items(Path file, int limit) {
        List<Row> rows = readJsonl(file);
        if (rows.isEmpty()) throw new AssayException(file + ": no items");
        return limit > 0 && rows.size() > limit ? rows.subList(0, limit) : rows;
    }

    public static List<Row> readJsonl(Path file) {
        try (BufferedReader in = open(file)) {
            return jsonl(file, in);
        } catch (IOException e) {
            throw new AssayException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A JSONL file shipped on the class path beside {@code owner} (a suite's own items), read like
     * {@link #readJsonl}; rows name it by {@code name}. A missing resource is a packaging error.
     */
    public static List<Row> resource(Class<?> owner, String name) {
        try (var stream = owner.getResourceAsStream(name)) {
            if (stream == null) throw new IllegalStateException(name + " is missing from the class path");
            return jsonl(Path.of(name), new BufferedReader(new java.io.InputStreamReader(stream, java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new AssayException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private static List<Row> jsonl(Path file, BufferedReader in) throws IOException {
        List<Row> rows = new ArrayList<>();
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            if (line.isBlank()) continue;
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new AssayException(file + ":" + n + ": not valid JSON (" + e.getOriginalMessage()
                        + "). Each line of a .jsonl file must be one JSON object.");
            }
            if (!(node instanceof ObjectNode obj)) {
                throw new AssayException(file + ":" + n + ": expected a JSON object, found " + node.getNodeType());
            }
            rows.add(new Row(file, n, obj));
        }
        return rows;
    }

    /** CSV/TSV with a header row; RFC 4180 quoting (quotes, doubled quotes, newlines inside quotes). */
    public static List<Row> readDelimited(Path file, char sep) {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = open(file)) {
            CsvReader csv = new CsvReader(file, in, sep);
            List<String> header = csv.next();
            if (header == null) return rows;
            int headerLine = 1;
            List<String> cells;
            while ((cells = csv.next()) != null) {
                int line = csv.recordStartLine();
                if (cells.size() == 1 && cells.getFirst().isEmpty()) continue;
                if (cells.size() != header.size()) {
                    throw new AssayException(file + ":" + line + ": expected " + header.size() + " columns (as in the header on line "
                            + headerLine + "), found " + cells.size());
                }
                ObjectNode obj = JsonNodeFactory.instance.objectNode();
                for (int i = 0; i < header.size(); i++) obj.put(header.get(i), cells.get(i));
                rows.add(new Row(file, line, obj));
            }
        } catch (IOException e) {
            throw new AssayException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private static BufferedReader open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new AssayException("data file not found: " + file);
        return new BufferedReader(new java.io.StringReader(text(file)));
    }

    /**
     * A data file's text: strict UTF-8 (a byte that is not UTF-8 is an error naming its offset and line,
     * not the decoder's "Input length = 1"), with a leading byte-order mark dropped, as spreadsheet
     * programs write one.
     */
    public static String text(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        java.nio.charset.CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) if (bytes[i] == '\n') line++;
            throw new AssayException(file + ":" + line + ": not UTF-8 text (byte " + at + " is 0x"
                    + String.format(Locale.ROOT, "%02x", bytes[at] & 0xff) + "). Data files must be UTF-8 JSONL, CSV or TSV; "
                    + "is this a binary or differently encoded file? Convert it, e.g. iconv -f latin1 -t utf-8.");
        }
        decoder.flush(out);
        out.flip();
        if (out.hasRemaining() && out.get(0) == '\uFEFF') out.position(1);
        return out.toString();
    }

    /** Minimal RFC 4180 reader that tracks the line each record starts on. */
    private static final class CsvReader {
        private final Path file;
        private final Reader in;
        private final char sep;
        private int line = 1;
        private int startLine = 1;
        private int peeked = -2;

        CsvReader(Path file, Reader in, char sep) {
            this.file = file;
            this.in = in;
            this.sep = sep;
        }

        int recordStartLine() {
            return startLine;
        }

        private int read() throws IOException {
            if (peeked != -2) {
                int c = peeked;
                peeked = -2;
                return c;
            }
            return in.read();
        }

        List<String> next() throws IOException {
            int c = read();
            if (c == -1) return null;
            startLine = line;
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            while (true) {
                if (c == -1) {
                    if (quoted) throw new AssayException(file + ":" + startLine + ": a quoted field is not closed before the end of the file");
                    cells.add(cell.toString());
                    return cells;
                }
                if (quoted) {
                    if (c == '"') {
                        int d = read();
                        if (d == '"') cell.append('"');
                        else {
                            quoted = false;
                            c = d;
                            continue;
                        }
                    } else {
                        if (c == '\n') line++;
                        cell.append((char) c);
                    }
                } else if (c == '"' && cell.isEmpty()) {
                    quoted = true;
                } else if (c == sep) {
                    cells.add(cell.toString());
                    cell.setLength(0);
                } else if (c == '\r') {
                    int d = read();
                    if (d != '\n') peeked = d;
                    line++;
                    cells.add(cell.toString());
                    return cells;
                } else if (c == '\n') {
                    line++;
                    cells.add(cell.toString());
                    return cells;
                } else {
                    cell.append((char) c);
                }
                c = read();
            }
        }
    }
}
