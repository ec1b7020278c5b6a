package dev.assay.suites.constitution;

import dev.assay.AssayException;
import dev.assay.data.Records;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The principles a judge is asked under, in named sets ("specific", "gfh"): a JSONL file, one principle per
 * line — {@code {"set": "specific", "trait": "power", "principle": "Which …?", "source": "ours"}}. A
 * principle with a {@code trait} is asked only of items of that trait; one without is asked of every item.
 * {@code source} says whose wording it is ("ours", or where it is quoted from). The shipped file
 * (principles.jsonl beside this class) is the default of {@code -S principles=FILE}.
 */
record Principles(String file, List<Principle> all) {
    static final String PARAM = "principles";
    static final String BUNDLED = "principles.jsonl";

    /** @param line the 1-based line of the file it came from */
    record Principle(String set, String trait, String text, String source, int line) {
    }

    /** The shipped principles, or the file {@code -S principles=FILE} names. */
    static Principles of(Map<String, String> params) {
        String file = params.get(PARAM);
        return file == null || file.isBlank() ? bundled() : read(Path.of(file.strip()));
    }

    static Principles bundled() {
        Principles p = parse(Records.resource(Principles.class, BUNDLED), "(shipped) " + BUNDLED);
        return new Principles("(shipped) " + BUNDLED, p.all());
    }

    static Principles read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AssayException("-S " + PARAM + "=" + file + ": no such file (expected JSONL, one {\"set\": …, \"principle\": …} per line)");
        }
        return parse(Records.readJsonl(file), file.toString());
    }

    private static Principles parse(List<Records.Row> rows, String name) {
        List<Principle> out = new ArrayList<>();
        for (Records.Row row : rows) {
            String where = name + ":" + row.line();
            String set = required(row, "set", where);
            String text = required(row, "principle", where);
            if (!set.matches("[A-Za-z0-9_.-]+")) {
                throw new AssayException(where + ": set '" + set + "' should be a short name (letters, digits, _ . -)");
            }
            String trait = row.optText("trait");
            String source = row.optText("source");
            out.add(new Principle(set, trait == null || trait.isBlank() ? null : trait.strip(), text.strip(),
                    source == null ? "" : source, row.line()));
        }
        if (out.isEmpty()) throw new AssayException(name + ": no principles");
        return new Principles(name, List.copyOf(out));
    }

    private static String required(Records.Row row, String field, String where) {
        String v = row.optText(field);
        if (v == null || v.isBlank()) {
            throw new AssayException(where + ": missing '" + field + "' (each line is {\"set\": NAME, \"principle\": TEXT, \"trait\": optional, \"source\": optional})");
        }
        return v;
    }

    /** The set names in file order. */
    List<String> sets() {
        Set<String> s = new LinkedHashSet<>();
        for (Principle p : all) s.add(p.set());
        return List.copyOf(s);
    }

    /** The principles of {@code set} asked of an item of {@code trait}: the trait's own and the set's trait-free ones; every one when the item has no trait. */
    List<Principle> of(String set, String trait) {
        return all.stream().filter(p -> p.set().equals(set) && (trait == null || p.trait() == null || p.trait().equals(trait))).toList();
    }
}
