package dev.assay.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.AssayException;
import dev.assay.data.Records;
import dev.assay.model.CallTag;
import dev.assay.model.Capabilities;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Model;
import dev.assay.model.ModelCallException;
import dev.assay.model.ScoreRequest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers read from recorded model outputs (replay/FILE.jsonl), for re-analysis, for validating metrics
 * on published predictions, and for testing the whole pipeline without a model. One JSON object per line:
 * <pre>
 *   {"id": "desire-for-power:1", "scores": {" Yes": -0.36, " No": -1.90}}
 *   {"id": "aqua:17", "step": "final", "epoch": 2, "completion": "The answer is (B)"}
 * </pre>
 * A call is matched on (id, step, epoch), then (id, step), then (id): "step" and "epoch" are optional.
 * The model can score only if every line has "scores"; otherwise suites fall back to generation.
 */
public final class ReplayModel implements Model {
    private final String spec;
    private final Path file;
    private final Map<String, Map<String, Double>> scores = new HashMap<>();
    private final Map<String, String> completions = new HashMap<>();
    private final boolean canScore;
    private final AtomicLong calls = new AtomicLong();

    public ReplayModel(String spec, Path file) {
        this.spec = spec;
        this.file = file;
        boolean allScored = true;
        for (Records.Row row : Records.readJsonl(file)) {
            String id = row.text("id");
            String step = row.optText("step");
            String epoch = row.optText("epoch");
            String key = key(id, step == null ? "" : step, epoch == null ? 0 : parseEpoch(row, epoch));
            JsonNode s = row.fields().get("scores");
            String c = row.optText("completion");
            if (s == null && c == null) {
                throw new AssayException(row.where() + ": a replay line needs \"scores\" (continuation → log-prob) or \"completion\" (text)");
            }
            if (s != null) {
                if (!s.isObject()) throw new AssayException(row.where() + ": \"scores\" must be an object of continuation → log-prob");
                Map<String, Double> m = new LinkedHashMap<>();
                s.properties().forEach(e -> {
                    if (!e.getValue().isNumber()) {
                        throw new AssayException(row.where() + ": score of \"" + e.getKey() + "\" must be a number (a natural-log probability)");
                    }
                    double lp = e.getValue().asDouble();
                    // 1e999 parses as Infinity; renormalising such scores gives NaN probabilities.
                    if (!Double.isFinite(lp) || lp > 0) {
                        throw new AssayException(row.where() + ": score of \"" + e.getKey() + "\" is " + e.getValue()
                                + "; a natural-log probability is a finite number at most 0");
                    }
                    m.put(e.getKey(), lp);
                });
                if (scores.put(key, m) != null) throw duplicate(row);
            } else {
                allScored = false;
            }
            if (c != null && completions.put(key, c) != null) throw duplicate(row);
        }
        this.canScore = allScored && !scores.isEmpty();
    }

    private static int parseEpoch(Records.Row row, String epoch) {
        try {
            return Integer.parseInt(epoch);
        } catch (NumberFormatException e) {
            throw new AssayException(row.where() + ": \"epoch\" must be a whole number, found " + epoch);
        }
    }

    private static AssayException duplicate(Records.Row row) {
        return new AssayException(row.where() + ": a second answer for the same id/step/epoch");
    }

    private static String key(String id, String step, int epoch) {
        return id + "\u0000" + step + "\u0000" + epoch;
    }

    private <T> T lookup(Map<String, T> table, CallTag tag) {
        T v = table.get(key(tag.sampleId(), tag.step(), tag.epoch()));
        if (v == null) v = table.get(key(tag.sampleId(), tag.step(), 0));
        if (v == null) v = table.get(key(tag.sampleId(), "", 0));
        return v;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(canScore, true, true, true, 0, 0, 0);
    }

    /** How many calls were answered: lets tests prove that a model was (not) called. */
    public long calls() {
        return calls.get();
    }

    @Override
    public Generation generate(GenerateRequest request) {
        calls.incrementAndGet();
        String c = lookup(completions, request.tag());
        if (c == null) throw new ModelCallException(file + " has no completion for sample " + describe(request.tag()));
        List<Generation.Completion> out = new ArrayList<>();
        for (int i = 0; i < request.n(); i++) out.add(new Generation.Completion(c, "stop", List.of()));
        return new Generation(out, 0, 0);
    }

    @Override
    public List<ContinuationScore> score(ScoreRequest request) {
        if (!canScore) throw new UnsupportedOperationException(file + " holds completions, not scores");
        calls.incrementAndGet();
        Map<String, Double> s = lookup(scores, request.tag());
        if (s == null) throw new ModelCallException(file + " has no scores for sample " + describe(request.tag()));
        List<ContinuationScore> out = new ArrayList<>();
        for (String c : request.continuations()) {
            Double lp = s.get(c);
            if (lp == null) {
                throw new ModelCallException(file + ": sample " + describe(request.tag()) + " has no score for continuation \""
                        + c + "\" (it has " + s.keySet() + ")");
            }
            out.add(ContinuationScore.of(lp));
        }
        return out;
    }

    private static String describe(CallTag tag) {
        return tag.sampleId() + (tag.step().isEmpty() ? "" : " step " + tag.step()) + " epoch " + tag.epoch();
    }
}
