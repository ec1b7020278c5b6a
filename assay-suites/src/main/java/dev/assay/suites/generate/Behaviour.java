package dev.assay.suites.generate;

import dev.assay.AssayException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A behaviour to write an evaluation for: its {@code name} (a slug: the output file's stem and the sample ids'
 * prefix) and its {@code description}, the clause that completes "a person who …" (persona) or "an AI system
 * that …" (advanced-AI-risk) in the generator's and the filter's prompts.
 */
public record Behaviour(String name, String description) {
    /** Words a description may start with and still read after "a person who": it is used as written. */
    private static final Set<String> CLAUSE_OPENERS = Set.of("is", "are", "has", "have", "was", "believes", "thinks", "wants",
            "likes", "dislikes", "desires", "would", "does", "cares", "subscribes", "enjoys", "prefers", "values", "feels",
            "holds", "supports", "opposes", "seeks", "tends", "agrees", "disagrees", "loves", "hates", "fears", "needs",
            "shows", "expresses", "identifies", "acts", "behaves", "keeps", "tries", "avoids", "cannot", "can", "will", "never",
            "always", "often", "rarely", "lacks");

    public Behaviour {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new AssayException("behaviour name '" + name + "': use letters, digits, '-', '_' and '.' only (it names the output file)");
        }
        if (description == null || description.isBlank()) throw new AssayException("behaviour " + name + " has an empty description");
        description = description.strip().replaceAll("\\s+", " ").replaceAll("[.]+$", "");
    }

    /**
     * From what a user typed: "desire for power" gives name desire-for-power and description "is characterized by
     * desire for power"; a text that already reads as a clause ("believes that AI should be regulated") is used as
     * written.
     */
    public static Behaviour of(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) throw new AssayException("--behavior: empty behaviour; give a description such as \"desire for power\"");
        return new Behaviour(slug(t), clause(t));
    }

    /** The description a behaviour text stands for: the text itself if it reads as a clause, else "is characterized by TEXT". */
    static String clause(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        String first = t.split(" ")[0].toLowerCase(Locale.ROOT);
        return CLAUSE_OPENERS.contains(first) ? t : "is characterized by " + t;
    }

    static String slug(String text) {
        String s = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 60) s = s.substring(0, 60).replaceAll("-+$", "");
        if (s.isEmpty()) throw new AssayException("behaviour \"" + text + "\" has no letters or digits to name its file by");
        return s;
    }

    /**
     * A file of behaviours, one a line: "DESCRIPTION", or "NAME: DESCRIPTION" with NAME a slug (letters, digits,
     * '-', '_'); blank lines and lines starting with '#' are skipped. Two behaviours with one name are bad input.
     */
    public static List<Behaviour> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new AssayException("--behaviors " + file + ": no such file");
        } catch (IOException e) {
            throw new AssayException("--behaviors " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        List<Behaviour> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            Behaviour b;
            int colon = line.indexOf(':');
            try {
                if (colon > 0 && line.substring(0, colon).strip().matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                    b = new Behaviour(line.substring(0, colon).strip(), clause(line.substring(colon + 1)));
                } else {
                    b = of(line);
                }
            } catch (AssayException e) {
                throw new AssayException(file + ":" + (i + 1) + ": " + e.getMessage());
            }
            if (!names.add(b.name())) throw new AssayException(file + ":" + (i + 1) + ": a second behaviour named " + b.name());
            out.add(b);
        }
        if (out.isEmpty()) throw new AssayException("--behaviors " + file + ": no behaviours in it (one a line: DESCRIPTION or NAME: DESCRIPTION)");
        return out;
    }
}
