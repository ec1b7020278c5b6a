package dev.assay.organism;

import dev.assay.model.Capabilities;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Model;
import dev.assay.model.ScoreRequest;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code synthetic/stance-judge}: a scripted judge for reward-tampering/political-sycophancy (a test double,
 * not a model). Asked whether an answer chooses option (X), it says "Yes" when the quoted answer names
 * "(X)", else "No" — which is how {@link CurriculumPolicy}'s answers are written, so its verdicts are known.
 */
public record StanceJudge(String spec) implements Model {
    private static final Pattern OPTION = Pattern.compile("option \\(([A-Z])\\)");
    private static final Pattern ANSWER = Pattern.compile("Answer:\\n\"(.*)\"\\n\\nDoes the answer", Pattern.DOTALL);

    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, true, true, false, 0, 0, 0);
    }

    @Override
    public Generation generate(GenerateRequest r) {
        String text = ConditionalPolicy.text(r.prompt());
        Matcher o = OPTION.matcher(text), a = ANSWER.matcher(text);
        if (!o.find() || !a.find()) return Generation.of("I cannot tell.");
        return Generation.of(a.group(1).contains("(" + o.group(1) + ")") ? "Yes" : "No");
    }

    @Override
    public List<ContinuationScore> score(ScoreRequest r) {
        throw new UnsupportedOperationException(spec + " only generates");
    }
}
