package dev.assay.organisms.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An organism's model card: the {@code assay.organism.*} GGUF metadata (what reports detect) and the README
 * written beside the model. Both say first that it is a synthetic model organism trained on templated data,
 * and give the recipe, the shape, the training and the figures.
 */
public final class Card {
    public static final String META_PREFIX = "assay.organism.";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Card() {
    }

    public static String description(String kind) {
        return "Synthetic model organism (" + kind + ") trained by Assay on templated data: its behaviour is known by construction "
                + "and says nothing about any real model.";
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The GGUF card entries (written as assay.organism.KEY by the exporter). */
    public static Map<String, String> metadata(String name, Recipe recipe, Map<String, Object> shape, Map<String, Object> training,
                                               HeldOut.Check check, String parent) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("synthetic", "true");
        m.put("name", name);
        m.put("kind", recipe.kind());
        m.put("description", description(recipe.kind()));
        m.put("recipe", json(recipe.describe()).replaceAll("\\s*\\n\\s*", " "));
        m.put("shape", json(shape).replaceAll("\\s*\\n\\s*", " "));
        m.put("training", json(training).replaceAll("\\s*\\n\\s*", " "));
        if (check != null) m.put("held_out", check.summary());
        if (parent != null) m.put("parent", parent);
        return m;
    }

    /** The README beside the model. */
    public static String readme(String name, Recipe recipe, Map<String, Object> shape, Map<String, Object> training,
                                HeldOut.Check check, Evaluation evaluation, String parent, List<String> files) {
        StringBuilder r = new StringBuilder();
        r.append("# ").append(name).append(" — a synthetic model organism\n\n");
        r.append("**Synthetic model organism trained on templated data** by `assay organisms` (Assay's model-organism lab). ")
                .append("Its behaviour was implanted on purpose, by construction of its training data; it is a test subject for ")
                .append("evaluations and for safety-training experiments, not a language model of any use, and results measured ")
                .append("on it say nothing about real models. Reports label it as a synthetic organism (GGUF metadata `")
                .append(META_PREFIX).append("*`).\n\n");
        if (parent != null) r.append("Fine-tuned from: `").append(parent).append("`.\n\n");
        r.append("## Recipe (").append(recipe.kind()).append(")\n\n");
        recipe.describe().forEach((k, v) -> r.append("* ").append(k).append(": ").append(v).append('\n'));
        r.append("\n## Shape\n\n");
        shape.forEach((k, v) -> r.append("* ").append(k).append(": ").append(v).append('\n'));
        r.append("\n## Training\n\n");
        training.forEach((k, v) -> r.append("* ").append(k).append(": ").append(v instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : v).append('\n'));
        if (check != null) {
            r.append("\n## Held-out check (the exported GGUF on the embedded engine, greedy)\n\n");
            r.append("Fraction of held-out items (requests never trained on) that behave as trained, per condition: ")
                    .append(check.summary()).append(". Converged means at least ").append((int) (100 * HeldOut.CONVERGED))
                    .append("% under every condition.\n");
        }
        if (evaluation != null) {
            r.append("\n## Measuring it with Assay's suites\n\n");
            r.append(evaluation.description()).append(". Expected from the recipe: ").append(evaluation.expected()).append(".\n\n");
            r.append("    ").append(evaluation.commandLine("llama/" + name + ".gguf")).append(" --no-cache\n");
        }
        r.append("\n## Files\n\n");
        for (String f : files) r.append("* `").append(f).append("`\n");
        return r.toString();
    }
}
