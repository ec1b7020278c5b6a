package dev.assay.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A plain-text table: a header row of the upper-cased column names, then one row per map, columns as wide as their widest cell. */
final class Table {
    private Table() {
    }

    static void print(PrintWriter out, List<Map<String, Object>> rows, String... columns) {
        int[] width = new int[columns.length];
        for (int c = 0; c < columns.length; c++) {
            width[c] = columns[c].length();
            for (Map<String, Object> r : rows) width[c] = Math.max(width[c], cell(r, columns[c]).length());
        }
        StringBuilder head = new StringBuilder();
        for (int c = 0; c < columns.length; c++) pad(head, columns[c].toUpperCase(Locale.ROOT), c == columns.length - 1 ? 0 : width[c]);
        out.println(head.toString().stripTrailing());
        for (Map<String, Object> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns.length; c++) pad(line, cell(r, columns[c]), c == columns.length - 1 ? 0 : width[c]);
            out.println(line.toString().stripTrailing());
        }
    }

    private static String cell(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? "" : String.valueOf(v);
    }

    private static void pad(StringBuilder sb, String s, int width) {
        sb.append(s);
        if (width > 0) sb.append(" ".repeat(width - s.length() + 2));
    }
}
