package dev.assay.http;

import dev.assay.model.Model;
import dev.assay.model.ModelOptions;
import dev.assay.model.ModelProvider;

/** {@code anthropic/MODEL}. */
public final class AnthropicProvider implements ModelProvider {
    @Override
    public String prefix() {
        return "anthropic";
    }

    @Override
    public String description() {
        return "Anthropic Messages API (generation only; key from ANTHROPIC_API_KEY)";
    }

    @Override
    public Model open(String name, ModelOptions options) {
        return new AnthropicModel(name, options, System::getenv);
    }

    @Override
    public java.util.Map<String, String> options() {
        return ProviderOptions.union(ProviderOptions.WIRE, ProviderOptions.BATCH);
    }
}
