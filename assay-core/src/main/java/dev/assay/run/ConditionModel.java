package dev.assay.run;

import dev.assay.model.Capabilities;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Model;
import dev.assay.suite.Condition;
import dev.assay.model.ScoreRequest;

import java.util.List;

/**
 * The evaluated model as a conditioned sample's solver sees it: every prompt is rewritten by the
 * sample's {@link Condition} before it goes on to the recording wrapper, so the log holds the prompt
 * really sent. One per (sample, epoch); never shared.
 */
final class ConditionModel implements Model {
    private final Condition condition;
    private final Model inner;

    ConditionModel(Condition condition, Model inner) {
        this.condition = condition;
        this.inner = inner;
    }

    @Override
    public String spec() {
        return inner.spec();
    }

    @Override
    public Capabilities capabilities() {
        return inner.capabilities();
    }

    @Override
    public Generation generate(GenerateRequest r) {
        return inner.generate(r.withPrompt(condition.apply(r.prompt())));
    }

    @Override
    public List<ContinuationScore> score(ScoreRequest r) {
        return inner.score(new ScoreRequest(condition.apply(r.prompt()), r.continuations(), r.tag()));
    }
}
