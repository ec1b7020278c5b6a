package dev.assay.http;

import dev.assay.model.Model;
import dev.assay.model.ModelOptions;
import dev.assay.model.ModelProvider;

/** {@code openai-compatible/MODEL}. */
public final class OpenAiCompatibleProvider implements ModelProvider {
    @Override
    public String prefix() {
        return "openai-compatible";
    }

    @Override
    public String description() {
        return "OpenAI-compatible servers (vLLM, SGLang, llama.cpp server, Ollama, TGI) at --model-base-url; scoring via echo+logprobs";
    }

    @Override
    public Model open(String name, ModelOptions options) {
        return new OpenAiModel(name, options, OpenAiModel.Flavour.COMPATIBLE, System::getenv);
    }

    @Override
    public java.util.Map<String, String> options() {
        return ProviderOptions.union(ProviderOptions.WIRE, ProviderOptions.BATCH, ProviderOptions.SCORING, ProviderOptions.TOOLS);
    }
}
