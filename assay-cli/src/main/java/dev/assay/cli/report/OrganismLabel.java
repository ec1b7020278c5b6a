package dev.assay.cli.report;

import dev.assay.llama.GgufHeader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Results from synthetic model organisms are labelled as such: a run whose model is a {@code llama/PATH.gguf}
 * carrying {@code assay.organism.*} metadata (the card {@code assay organisms} writes) is named in a note at the
 * top of the report with the organism's kind, so nobody mistakes its figures for a real model's.
 */
final class OrganismLabel {
    static final String META = "assay.organism.";

    private OrganismLabel() {
    }

    /** The organism's kind, or null when the run's model is not a readable GGUF with an organism card. */
    static String kind(RunData r) {
        String model = r.header().spec().model();
        if (model == null || !model.startsWith("llama/") || !model.endsWith(".gguf")) return null;
        Path p = Path.of(model.substring("llama/".length()));
        if (!Files.isRegularFile(p)) return "true".equals(r.sweep().get("organism")) ? "organism" : null;
        try {
            GgufHeader h = GgufHeader.read(p);
            String kind = h.string(META + "kind");
            return kind != null ? kind : h.metadata().keySet().stream().anyMatch(k -> k.startsWith(META)) ? "organism" : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static void append(StringBuilder h, List<RunData> runs) {
        List<String> named = new ArrayList<>();
        for (RunData r : runs) {
            String kind = kind(r);
            if (kind != null) named.add(HtmlReport.esc(r.label()) + " (" + HtmlReport.esc(kind) + ")");
        }
        if (named.isEmpty()) return;
        h.append("<p class=\"note organism\"><b>Synthetic model organisms.</b> ")
                .append(named.size() == runs.size() ? "Every run here evaluates" : named.size() + " of " + runs.size() + " runs evaluate")
                .append(" a model organism trained by Assay on templated data, whose behaviour was implanted by construction: ")
                .append(String.join(", ", named.size() > 12 ? named.subList(0, 12) : named)).append(named.size() > 12 ? ", …" : "")
                .append(". Their results say nothing about real models.</p>\n");
    }
}
