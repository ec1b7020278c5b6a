package dev.assay.run;

import dev.assay.cache.CachingModel;
import dev.assay.event.Event;
import dev.assay.event.ModelCall;
import dev.assay.event.Origin;
import dev.assay.model.Capabilities;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Message;
import dev.assay.model.Model;
import dev.assay.model.Prompt;
import dev.assay.model.ScoreRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A role model as one sample's solver or scorer sees it: every call goes to the model and is appended
 * to the sample's events as a {@link ModelCall} built from the request really sent and the answer
 * really received (role, step from the call's tag, origin, tokens, latency, cache hit). A failed call
 * is recorded with its error and rethrown. One per (sample, epoch, role, origin); never shared.
 */
final class RecordingModel implements Model {
    private final Model inner;
    private final String role;
    private final Origin origin;
    private final Consumer<Event> sink;
    private final String condition;

    RecordingModel(Model inner, String role, Origin origin, Consumer<Event> sink) {
        this(inner, role, origin, sink, null);
    }

    /** {@code condition}: the name of the run condition the prompts were rewritten under (null: none). */
    RecordingModel(Model inner, String role, Origin origin, Consumer<Event> sink, String condition) {
        this.inner = inner;
        this.role = role;
        this.origin = origin;
        this.sink = sink;
        this.condition = condition;
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
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("max_tokens", r.maxTokens());
        req.put("temperature", r.temperature());
        if (r.topP() != 1.0) req.put("top_p", r.topP());
        if (r.seed() != 0) req.put("seed", r.seed());
        if (!r.stop().isEmpty()) req.put("stop", r.stop());
        if (r.n() != 1) req.put("n", r.n());
        if (r.topLogprobs() > 0) req.put("top_logprobs", r.topLogprobs());
        if (!r.tools().isEmpty()) req.put("tools", Json.MAPPER.convertValue(r.tools(), List.class));
        long t0 = System.nanoTime();
        try {
            Generation g;
            boolean cached = false;
            if (inner instanceof CachingModel c) {
                var a = c.generateAnswered(r);
                g = a.value();
                cached = a.cached();
            } else {
                g = inner.generate(r);
            }
            Map<String, Object> resp = new LinkedHashMap<>();
            resp.put("text", g.text());
            if (g.completions().size() > 1) resp.put("texts", g.completions().stream().map(Generation.Completion::text).toList());
            resp.put("finish_reason", g.completions().getFirst().finishReason());
            var calls = g.completions().getFirst().toolCalls();
            if (calls != null && !calls.isEmpty()) resp.put("tool_calls", Json.MAPPER.convertValue(calls, List.class));
            record(r.tag().step(), "generate", r.prompt(), req, resp, g.promptTokens(), g.completionTokens(), t0, cached, null);
            return g;
        } catch (RuntimeException e) {
            record(r.tag().step(), "generate", r.prompt(), req, Map.of(), 0, 0, t0, false, describe(e));
            throw e;
        }
    }

    @Override
    public List<ContinuationScore> score(ScoreRequest r) {
        Map<String, Object> req = Map.of("continuations", r.continuations());
        long t0 = System.nanoTime();
        try {
            List<ContinuationScore> s;
            boolean cached = false;
            if (inner instanceof CachingModel c) {
                var a = c.scoreAnswered(r);
                s = a.value();
                cached = a.cached();
            } else {
                s = inner.score(r);
            }
            List<Double> lp = new ArrayList<>(s.size());
            s.forEach(x -> lp.add(x.logprob()));
            record(r.tag().step(), "score", r.prompt(), req, Map.of("logprobs", lp), 0, 0, t0, cached, null);
            return s;
        } catch (RuntimeException e) {
            record(r.tag().step(), "score", r.prompt(), req, Map.of(), 0, 0, t0, false, describe(e));
            throw e;
        }
    }

    private void record(String step, String op, Prompt prompt, Map<String, Object> req, Map<String, Object> resp,
                        long in, long out, long t0, boolean cached, String error) {
        sink.accept(new ModelCall(role, step, origin, op, inner.spec(), promptValue(prompt), req, resp, in, out,
                (System.nanoTime() - t0) / 1_000_000, cached, error, condition));
    }

    private static String describe(RuntimeException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * The rendered prompt as JSON values: the raw text, or the messages (role and content, and an
     * assistant turn's tool calls or a tool result's fields, as {@link Message} serialises) and prefill.
     */
    static Object promptValue(Prompt prompt) {
        return switch (prompt) {
            case Prompt.Text t -> t.text();
            case Prompt.Chat c -> {
                List<Object> messages = new ArrayList<>();
                for (Message m : c.messages()) messages.add(Json.MAPPER.convertValue(m, LinkedHashMap.class));
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("messages", messages);
                v.put("prefill", c.prefill());
                yield v;
            }
        };
    }
}
