package dev.assay.cache;

import dev.assay.model.CallTag;
import dev.assay.model.Capabilities;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Message;
import dev.assay.model.Model;
import dev.assay.model.Prompt;
import dev.assay.model.ToolCall;
import dev.assay.model.ToolSpec;
import dev.assay.model.ScoreRequest;
import dev.assay.model.TokenLogprob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingModelTest {

    /** Counts calls and answers from the prompt, so a cached answer can be told from a fresh one. */
    static final class CountingModel implements Model {
        final AtomicInteger generates = new AtomicInteger();
        final AtomicInteger scores = new AtomicInteger();
        volatile boolean fail;
        volatile String identity = "";

        public String spec() { return "counting/m1"; }

        public String cacheIdentity() { return identity; }

        public Capabilities capabilities() { return new Capabilities(true, true, true, true, 0, 0, 0); }

        public Generation generate(GenerateRequest r) {
            generates.incrementAndGet();
            if (fail) throw new dev.assay.model.ModelCallException("boom");
            try { Thread.sleep(20); } catch (InterruptedException e) { throw new RuntimeException(e); }
            String text = r.prompt() instanceof Prompt.Text t ? t.text().toUpperCase() : "chat";
            return new Generation(List.of(new Generation.Completion(text, "stop",
                    List.of(new TokenLogprob(text, -0.5, Map.of("x", -1.0))))), 3, 1);
        }

        public List<ContinuationScore> score(ScoreRequest r) {
            scores.incrementAndGet();
            return r.continuations().stream()
                    .map(c -> new ContinuationScore(-c.length(), List.of(new TokenLogprob(c, -c.length(), null)), true))
                    .toList();
        }
    }

    @Test
    void aModelWhoseWeightsChangedAtTheSameSpecIsNotAnsweredFromTheOldEntries(@TempDir Path dir) {
        // An organism retrained at the same path: same spec, same endpoint, another file identity.
        var inner = new CountingModel();
        inner.identity = "bytes=10,modified=2026-12-01T10:00:00Z";
        var req = GenerateRequest.greedy(new Prompt.Text("hello"), 5, List.of(), new CallTag("s1", 0, "a"));
        try (var cache = ResponseCache.open(dir)) {
            new CachingModel(inner, cache, "").generate(req);
            new CachingModel(inner, cache, "").generate(req);
            assertThat(inner.generates).hasValue(1);
            inner.identity = "bytes=10,modified=2026-12-01T10:05:00Z";
            new CachingModel(inner, cache, "").generate(req);
            assertThat(inner.generates).hasValue(2);
        }
    }

    @Test
    void secondCallIsAnsweredFromTheFileEvenAfterReopening(@TempDir Path dir) {
        var inner = new CountingModel();
        var req = GenerateRequest.greedy(new Prompt.Text("hello"), 5, List.of(), new CallTag("s1", 0, "a"));
        Generation first;
        try (var cache = ResponseCache.open(dir)) {
            first = new CachingModel(inner, cache, "http://h").generate(req);
        }
        assertThat(Files.exists(dir.resolve(ResponseCache.FILE_NAME))).isTrue();
        try (var cache = ResponseCache.open(dir)) {
            var model = new CachingModel(inner, cache, "http://h");
            // Another sample id and step, same epoch: the same call.
            var again = model.generate(GenerateRequest.greedy(new Prompt.Text("hello"), 5, List.of(),
                    new CallTag("other", 0, "b")));
            assertThat(again).isEqualTo(first);
            assertThat(again.text()).isEqualTo("HELLO");
            assertThat(inner.generates).hasValue(1);
            // Another epoch is another call.
            model.generate(GenerateRequest.greedy(new Prompt.Text("hello"), 5, List.of(), new CallTag("s1", 1, "a")));
            assertThat(inner.generates).hasValue(2);
            // Another endpoint is another call.
            new CachingModel(inner, cache, "http://other").generate(req);
            assertThat(inner.generates).hasValue(3);
        }
    }

    @Test
    void scoresRoundTripAndFailuresAreNotCached(@TempDir Path dir) {
        var inner = new CountingModel();
        try (var cache = ResponseCache.open(dir)) {
            var model = new CachingModel(inner, cache, "");
            var sr = new ScoreRequest(new Prompt.Chat(List.of(Message.user("q")), "A:"), List.of(" yes", " no!"), null);
            var a = model.score(sr);
            var b = model.score(sr);
            assertThat(b).isEqualTo(a);
            assertThat(b.get(1).logprob()).isEqualTo(-4.0);
            assertThat(inner.scores).hasValue(1);

            inner.fail = true;
            var req = GenerateRequest.greedy(new Prompt.Text("x"), 5, List.of(), null);
            assertThatThrownBy(() -> model.generate(req)).hasMessage("boom");
            inner.fail = false;
            assertThat(model.generate(req).text()).isEqualTo("X");
            assertThat(cache.size()).isEqualTo(2);
        }
    }

    @Test
    void concurrentIdenticalCallsAreMadeOnce(@TempDir Path dir) throws Exception {
        var inner = new CountingModel();
        try (var cache = ResponseCache.open(dir); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var model = new CachingModel(inner, cache, "");
            var req = GenerateRequest.greedy(new Prompt.Text("same"), 5, List.of(), null);
            var futures = java.util.stream.IntStream.range(0, 50).mapToObj(i -> pool.submit(() -> model.generate(req))).toList();
            for (var f : futures) assertThat(f.get().text()).isEqualTo("SAME");
            assertThat(inner.generates.get()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void listPruneAndClear(@TempDir Path dir) {
        var inner = new CountingModel();
        try (var cache = ResponseCache.open(dir)) {
            var model = new CachingModel(inner, cache, "");
            for (int i = 0; i < 3; i++) {
                model.generate(GenerateRequest.greedy(new Prompt.Text("p" + i), 5, List.of(), null));
            }
            var list = cache.list();
            assertThat(list).hasSize(1);
            assertThat(list.getFirst().model()).isEqualTo("counting/m1");
            assertThat(list.getFirst().count()).isEqualTo(3);
            assertThat(cache.prune(Instant.now().minusSeconds(3600), null)).isZero();
            assertThat(cache.prune(Instant.now().plusSeconds(1), "other/model")).isZero();
            assertThat(cache.prune(Instant.now().plusSeconds(1), "counting/m1")).isEqualTo(3);
            model.generate(GenerateRequest.greedy(new Prompt.Text("p0"), 5, List.of(), null));
            assertThat(cache.clear()).isEqualTo(1);
            assertThat(cache.size()).isZero();
        }
    }

    @Test
    void keysAreCanonicalAndIgnoreTheSampleId() {
        var a = CacheKey.generate("openai", "u", "m", GenerateRequest.greedy(new Prompt.Text("t"), 5, List.of("\n"), new CallTag("s1", 2, "x")));
        var b = CacheKey.generate("openai", "u", "m", GenerateRequest.greedy(new Prompt.Text("t"), 5, List.of("\n"), new CallTag("s9", 2, "y")));
        var c = CacheKey.generate("openai", "u", "m", GenerateRequest.greedy(new Prompt.Text("t"), 6, List.of("\n"), new CallTag("s1", 2, "x")));
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(a.hex()).hasSize(64);
        var n1 = CacheKey.CANONICAL.createObjectNode().put("b", 1).put("a", 2);
        var n2 = CacheKey.CANONICAL.createObjectNode().put("a", 2).put("b", 1);
        assertThat(CacheKey.canonicalJson(n1)).isEqualTo(CacheKey.canonicalJson(n2)).isEqualTo("{\"a\":2,\"b\":1}");
    }

    @Test
    void chatKeysAreWhatTheyWereBeforeMessagesBecameSealed() {
        var chat = new Prompt.Chat(List.of(Message.system("s"), Message.user("hi")), "");
        var key = CacheKey.generate("openai", "u", "m", GenerateRequest.greedy(chat, 5, List.of(), new CallTag("a", 0, "x")));
        // The canonical JSON the record Message(role, content) gave, written out by hand.
        String before = "{\"endpoint\":\"u\",\"epoch\":0,\"model\":\"m\",\"provider\":\"openai\",\"request\":"
                + "{\"maxTokens\":5,\"n\":1,\"op\":\"generate\",\"prompt\":{\"kind\":\"chat\",\"messages\":"
                + "[{\"content\":\"s\",\"role\":\"system\"},{\"content\":\"hi\",\"role\":\"user\"}],\"prefill\":\"\"},"
                + "\"seed\":0,\"stop\":[],\"temperature\":0.0,\"topLogprobs\":0,\"topP\":1.0}}";
        assertThat(key.hex()).isEqualTo(CacheKey.sha256(before));

        var call = new ToolCall("call_0", "bash", "{\"command\":\"ls\"}");
        var withCall = new Prompt.Chat(List.of(Message.user("hi"), Message.assistant("", List.of(call)),
                Message.toolResult(call, "a")), "");
        var k1 = CacheKey.generate("openai", "u", "m", GenerateRequest.greedy(withCall, 5, List.of(), null));
        var k2 = CacheKey.generate("openai", "u", "m", GenerateRequest.greedy(withCall, 5, List.of(), null)
                .withTools(List.of(ToolSpec.bash())));
        var withOther = new Prompt.Chat(List.of(Message.user("hi"), Message.assistant("", List.of(call)),
                Message.toolResult(call, "b")), "");
        var k3 = CacheKey.generate("openai", "u", "m", GenerateRequest.greedy(withOther, 5, List.of(), null));
        assertThat(java.util.Set.of(k1, k2, k3)).hasSize(3);
    }

    @Test
    void cachedToolCallsComeBack(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        var call = new ToolCall("call_0", "bash", "{\"command\":\"ls\"}");
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        Model inner = new Model() {
            public String spec() { return "fake/tools"; }
            public Capabilities capabilities() { return new Capabilities(false, true, false, false, true, 0, 0, 0); }
            public Generation generate(GenerateRequest r) {
                calls.incrementAndGet();
                return new Generation(List.of(new Generation.Completion("", "tool_calls", List.of(), List.of(call))), 1, 1);
            }
            public List<dev.assay.model.ContinuationScore> score(dev.assay.model.ScoreRequest r) { throw new UnsupportedOperationException(); }
        };
        try (var cache = ResponseCache.open(dir)) {
            var model = new CachingModel(inner, cache, "http://h");
            var req = GenerateRequest.greedy(new Prompt.Chat(List.of(Message.user("go")), ""), 5, List.of(), null)
                    .withTools(List.of(ToolSpec.bash()));
            model.generate(req);
            var again = model.generate(req);
            assertThat(calls).hasValue(1);
            assertThat(again.completions().getFirst().toolCalls()).containsExactly(call);
        }
    }
}
