package dev.assay.llama;

import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Message;
import dev.assay.model.Prompt;
import dev.assay.model.ScoreRequest;
import dev.assay.model.TokenLogprob;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The decode loop's promises: a seed gives the same text alone or among 32 concurrent sequences, concurrent
 * calls share decodes, a cached prefix gives the logits decoding from scratch gives, and a conversation that
 * grows by a turn decodes only the new tokens.
 */
class SchedulerTest {

    private static LlamaModel open(int sequences) throws Exception {
        return LlamaModel.open("llama/tiny", Fixtures.tinyModel(), new LlamaModel.Settings(512, 2, sequences, 64));
    }

    private static GenerateRequest sampled(int i) {
        var prompt = new Prompt.Text("Story " + (i % 5) + " begins" + " again".repeat(i % 3) + ":", true);
        return new GenerateRequest(prompt, 24, 0.8, 0.95, 1000 + i, List.of(), 1, 0, null);
    }

    @Test
    void aSeedGivesTheSameTextAloneOrInABatchOf32() throws Exception {
        List<String> alone = new ArrayList<>(), greedyAlone = new ArrayList<>();
        try (LlamaModel m = open(1)) { // one sequence at a time: every request runs alone
            for (int i = 0; i < 32; i++) {
                alone.add(m.generate(sampled(i)).text());
                greedyAlone.add(m.generate(GenerateRequest.greedy(sampled(i).prompt(), 16, List.of(), null)).text());
            }
        }
        try (LlamaModel m = open(32)) {
            List<Future<Generation>> sampledTogether = new ArrayList<>(), greedyTogether = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 32; i++) {
                    int k = i;
                    sampledTogether.add(pool.submit(() -> m.generate(sampled(k))));
                    greedyTogether.add(pool.submit(() -> m.generate(GenerateRequest.greedy(sampled(k).prompt(), 16, List.of(), null))));
                }
            }
            for (int i = 0; i < 32; i++) {
                assertThat(sampledTogether.get(i).get().text()).as("sampled request %d", i).isEqualTo(alone.get(i));
                assertThat(greedyTogether.get(i).get().text()).as("greedy request %d", i).isEqualTo(greedyAlone.get(i));
            }
            Map<String, Long> c = m.counters();
            // 64 requests of up to 24 tokens: served one after another that would be > 64 decodes per token
            assertThat(c.get("sequences")).isEqualTo(64);
            assertThat(c.get("decode_calls")).isLessThan(c.get("generated_tokens") / 8);
        }
        assertThat(alone.stream().distinct().count()).as("the seeds differ, so do the texts").isGreaterThan(16);
    }

    /**
     * A cache with enough free cells in all but not side by side: llama.cpp (b4916) then fails the decode with
     * -3 ("failed to prepare ubatch"; llama.h says 1), and the loop must plan a smaller step rather than fail the
     * sequences in it. Sequences of many lengths come and go in a cache of 1.5 contexts, with cached prefixes
     * held, until the free cells are scattered. The texts are those of each request alone.
     */
    @Test
    void aFragmentedCacheIsReplannedNotFailed() throws Exception {
        List<GenerateRequest> requests = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            var prompt = new Prompt.Text("Item " + i + ":" + " word".repeat(3 + (i * 37) % 60), true);
            requests.add(GenerateRequest.greedy(prompt, 4 + (i * 13) % 40, List.of(), null));
        }
        List<String> alone = new ArrayList<>();
        try (LlamaModel m = open(1)) {
            for (GenerateRequest r : requests) alone.add(m.generate(r).text());
        }
        try (LlamaModel m = LlamaModel.open("llama/tiny", Fixtures.tinyModel(), new LlamaModel.Settings(128, 2, 8, 64, 192, true))) {
            List<Future<Generation>> jobs = new ArrayList<>();
            try (var pool = Executors.newFixedThreadPool(12)) {
                for (GenerateRequest r : requests) jobs.add(pool.submit(() -> m.generate(r)));
            }
            for (int i = 0; i < jobs.size(); i++) assertThat(jobs.get(i).get().text()).as("request %d", i).isEqualTo(alone.get(i));
            assertThat(m.counters().get("replanned_steps")).as("the cache did fragment").isPositive();
        }
    }

    /**
     * Admission promises every running sequence the cells it may still add, so long generations in a cache of two
     * contexts wait their turn instead of filling it (a generating sequence once counted its generated tokens off
     * twice, and sequences admitted on that promise met a full cache: "llama_decode returned -3").
     */
    @Test
    void longGenerationsInACacheOfTwoContextsWaitTheirTurn() throws Exception {
        try (LlamaModel m = LlamaModel.open("llama/tiny", Fixtures.tinyModel(), new LlamaModel.Settings(128, 2, 8, 64, 256, false))) {
            List<Future<Generation>> jobs = new ArrayList<>();
            try (var pool = Executors.newFixedThreadPool(8)) {
                for (int i = 0; i < 16; i++) {
                    var prompt = new Prompt.Text("Long story " + i + ":", true);
                    jobs.add(pool.submit(() -> m.generate(GenerateRequest.greedy(prompt, 100, List.of(), null))));
                }
            }
            for (Future<Generation> j : jobs) assertThat(j.get().text()).isNotNull();
        }
    }

    @Test
    void nSamplesOfOnePromptShareItsDecodeAndKeepTheirSeeds() throws Exception {
        var prompt = new Prompt.Text("The weather today", true);
        try (LlamaModel m = open(8)) {
            var many = m.generate(new GenerateRequest(prompt, 12, 1.0, 1.0, 8, List.of(), 6, 0, null));
            int promptLength = m.promptTokens(prompt).length;
            // six sequences read one prompt: its tokens are decoded once, as entries tagged with all six
            assertThat(m.counters().get("prompt_tokens_decoded")).isEqualTo(promptLength);
            try (LlamaModel one = open(1)) {
                var alone = one.generate(new GenerateRequest(prompt, 12, 1.0, 1.0, 8, List.of(), 6, 0, null));
                for (int c = 0; c < 6; c++) assertThat(many.completions().get(c).text()).isEqualTo(alone.completions().get(c).text());
            }
        }
    }

    @Test
    void aCachedPrefixGivesTheLogitsOfDecodingFromScratch() throws Exception {
        String fewShot = "Q: What is 2 + 2?\nA: 4\n\nQ: What colour is the sky?\nA: Blue\n\nQ: Name a fruit.\nA: Apple\n\n";
        try (LlamaModel m = open(4)) {
            m.generate(GenerateRequest.greedy(new Prompt.Text(fewShot + "Q: Warm up?\nA:", true), 4, List.of(), null));
            int fewShotTokens = m.promptTokens(new Prompt.Text(fewShot, true)).length;
            long cachedBefore = m.counters().get("prompt_tokens_from_cache");
            var req = new ScoreRequest(new Prompt.Text(fewShot + "Q: Is water wet?\nA:", true),
                    List.of(" Yes, water is wet.", " No, it is not wet at all."), null);
            List<ContinuationScore> cached = m.score(req);
            assertThat(m.counters().get("prompt_tokens_from_cache") - cachedBefore)
                    .as("both continuations start from the cached few-shot block").isGreaterThanOrEqualTo(2L * fewShotTokens);
            List<ContinuationScore> scratch = m.scoreIndependently(req);
            for (int c = 0; c < 2; c++) {
                assertThat(cached.get(c).logprob()).isCloseTo(scratch.get(c).logprob(), within(1e-3));
            }
            // every vocabulary row after a cached prefix: the top-50 of the first generated token against a
            // full row decoded from an empty cache
            var prompt = new Prompt.Text(fewShot + "Q: Is fire hot?\nA:", true);
            double[] full = m.nextTokenLogprobs(prompt);          // from scratch; empties the cache
            m.generate(GenerateRequest.greedy(new Prompt.Text(fewShot + "Q: Again?\nA:", true), 2, List.of(), null));
            cachedBefore = m.counters().get("prompt_tokens_from_cache");
            var g = m.generate(new GenerateRequest(prompt, 1, 0, 1, 0, List.of(), 1, 50, null));
            assertThat(m.counters().get("prompt_tokens_from_cache") - cachedBefore).isGreaterThanOrEqualTo(fewShotTokens);
            TokenLogprob first = g.completions().getFirst().logprobs().getFirst();
            assertThat(first.top()).hasSizeGreaterThan(10);
            for (var e : first.top().entrySet()) {
                int[] t = m.tokenize(e.getKey());
                if (t.length != 1) continue; // pieces that do not round-trip to one token
                assertThat(e.getValue()).as("token %s", e.getKey()).isCloseTo(full[t[0]], within(1e-3));
            }
        }
    }

    @Test
    void aConversationThatGrowsByOneTurnDecodesOnlyTheNewTokens() throws Exception {
        try (LlamaModel m = open(2)) {
            List<Message> turns = new ArrayList<>(List.of(Message.system("Be brief."), Message.user("Hi there, who are you?")));
            var first = m.generate(GenerateRequest.greedy(new Prompt.Chat(turns, ""), 8, List.of(), null));
            turns.add(Message.assistant(first.text()));
            turns.add(Message.user("And what can you do?"));
            var second = new Prompt.Chat(turns, "");
            int[] before = m.promptTokens(new Prompt.Chat(turns.subList(0, 2), ""));
            int[] now = m.promptTokens(second);
            long decodedBefore = m.counters().get("prompt_tokens_decoded");
            m.generate(GenerateRequest.greedy(second, 4, List.of(), null));
            long decoded = m.counters().get("prompt_tokens_decoded") - decodedBefore;
            // the first turn's prompt and reply come from the cache; what is decoded is the new turn, plus at most
            // the one token where the template's rendering of the reply re-tokenizes differently (BPE may merge
            // the "\n" after "assistant" with the reply's first piece)
            assertThat(decoded).isLessThanOrEqualTo(now.length - before.length + 1);
            assertThat(decoded).isGreaterThan(0);
        }
    }

    @Test
    void scoresAndGenerationsInterleavedInOneLoopStillEqualTheReferences() throws Exception {
        try (LlamaModel m = open(16)) {
            List<Future<List<ContinuationScore>>> scored = new ArrayList<>();
            List<ScoreRequest> requests = new ArrayList<>();
            List<Future<Generation>> generated = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 24; i++) {
                    var r = LlamaModelTest.mc("Claim " + i + ": " + (i % 2 == 0 ? "the sea is salty" : "ice is cold") + ".");
                    requests.add(r);
                    scored.add(pool.submit(() -> m.score(r)));
                    int k = i;
                    generated.add(pool.submit(() -> m.generate(sampled(k))));
                }
            }
            for (int i = 0; i < requests.size(); i++) {
                var alone = m.scoreIndependently(requests.get(i));
                for (int c = 0; c < 2; c++) {
                    assertThat(scored.get(i).get().get(c).logprob()).isCloseTo(alone.get(c).logprob(), within(1e-3));
                }
                assertThat(generated.get(i).get().text()).isEqualTo(m.generate(sampled(i)).text());
            }
        }
    }
}
