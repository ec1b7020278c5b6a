package dev.assay.suite;

import dev.assay.AssayException;
import dev.assay.model.Model;

import java.util.Locale;

/**
 * How a multiple-choice question is answered, for every suite of a run (HELM's adapters): by the
 * log-likelihood of each option, by generating text and parsing the option out of it, or (auto, the
 * default) by log-likelihood where the model can score and generation where it cannot.
 */
public enum AnswerMethod {
    AUTO, LOGLIK, GENERATE;

    /** Whether a question is answered by scoring the options on {@code model}. */
    public boolean scores(Model model) {
        return switch (this) {
            case LOGLIK -> true;
            case GENERATE -> false;
            case AUTO -> model.capabilities().canScore();
        };
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses --answer-method; null or blank is auto. */
    public static AnswerMethod of(String s) {
        if (s == null || s.isBlank()) return AUTO;
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AssayException("--answer-method " + s + ": expected loglik, generate or auto");
        }
    }
}
