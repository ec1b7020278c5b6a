package dev.assay.tools;

import dev.assay.model.Capabilities;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Model;
import dev.assay.model.ScoreRequest;

import java.util.List;

/**
 * Gives a model without native tool calling the {@link TextToolProtocol}: requests with tools or tool
 * turns go through the protocol, all others pass unchanged. A model that declares tools already is
 * best left unwrapped.
 */
public final class TextToolModel implements Model {
    private final Model inner;

    public TextToolModel(Model inner) {
        this.inner = inner;
    }

    @Override
    public String spec() {
        return inner.spec();
    }

    @Override
    public Capabilities capabilities() {
        return inner.capabilities().withTools(true);
    }

    @Override
    public Generation generate(GenerateRequest request) {
        return TextToolProtocol.needed(request) ? TextToolProtocol.generate(request, inner::generate) : inner.generate(request);
    }

    @Override
    public List<ContinuationScore> score(ScoreRequest request) {
        return inner.score(request);
    }

    @Override
    public String cacheIdentity() {
        return inner.cacheIdentity();
    }

    @Override
    public java.util.Map<String, Long> counters() {
        return inner.counters();
    }

    @Override
    public void close() {
        inner.close();
    }
}
