package dev.assay.model;

import dev.assay.AssayException;

/**
 * The model cannot answer this run at all — its endpoint refuses connections, its host does not
 * resolve, it refuses the key, it does not serve the model, its answers cannot be right, or none of its
 * recent calls succeeded. Unlike {@link ModelCallException} (one call failed; recorded on the sample)
 * this stops the run: as an {@link AssayException} the runner does not record it per sample, and the
 * CLI prints the message (endpoint and cause) and exits with code 2. Finished samples stay in the log,
 * so the run can be resumed once the endpoint works.
 */
public final class ModelUnavailableException extends AssayException {
    public ModelUnavailableException(String message) {
        super(message);
    }
}
