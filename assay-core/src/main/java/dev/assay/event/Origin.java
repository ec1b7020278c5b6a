package dev.assay.event;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether a model call was made while solving (the evaluated model, a translator, …) or while scoring
 * (a judge). Re-scoring drops the scorer's calls and keeps the solver's.
 */
public enum Origin {
    SOLVER, SCORER;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
