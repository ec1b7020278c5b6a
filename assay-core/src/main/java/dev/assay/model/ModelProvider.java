package dev.assay.model;

/**
 * Opens models for one spec prefix ("llama", "openai", "replay", …). Found with
 * {@link java.util.ServiceLoader}: a new backend is one class plus one line in
 * {@code META-INF/services/dev.assay.model.ModelProvider}.
 */
public interface ModelProvider {

    /** The part of the spec before the first '/'. */
    String prefix();

    /** One line for {@code assay list models}. */
    String description();

    /**
     * @param name the spec after "prefix/"
     * @throws dev.assay.AssayException when the model cannot be opened for a reason the user can fix
     */
    Model open(String name, ModelOptions options);

    /**
     * Whether answers may be kept in the run store's response cache. False for providers whose answers
     * are already local and may change under the same name (a replay file edited in place).
     */
    default boolean cacheable() {
        return true;
    }

    /**
     * The --model-option keys this provider reads, each with one line on what it does. A key that no
     * model of a run declares (nor {@link Models#COMMON_OPTIONS}) is a typo: exit 2 listing these.
     */
    default java.util.Map<String, String> options() {
        return java.util.Map.of();
    }
}
