package dev.assay.http;

import dev.assay.model.Model;
import dev.assay.model.ModelOptions;
import dev.assay.model.ModelProvider;

/** {@code openai/MODEL}. */
public final class OpenAiProvider implements ModelProvider {
    @Override
    public String prefix() {
        return "openai";
    }

    @Override
    public String description() {
        return "OpenAI API (chat completions; generation only — chat models give no scores)";
    }

    @Override
    public Model open(String name, ModelOptions options) {
        return new OpenAiModel(name, options, OpenAiModel.Flavour.OPENAI, System::getenv);
    }

    @Override
    public java.util.Map<String, String> options() {
        return ProviderOptions.union(ProviderOptions.WIRE, ProviderOptions.BATCH, ProviderOptions.TOOLS);
    }
}
