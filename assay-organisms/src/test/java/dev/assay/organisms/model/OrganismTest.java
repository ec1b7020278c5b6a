package dev.assay.organisms.model;

import dev.assay.llama.EngineProbe;
import dev.assay.llama.LlamaModel;
import dev.assay.model.GenerateRequest;
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

    @Test
    void seededRunsAreBitIdentical() {
        try (Organism a = Organism.create(Shape.tiny(), 11); Organism b = Organism.create(Shape.tiny(), 11)) {
            TrainOptions o = new TrainOptions(20, 1e-2, 4, 3, 1.0, 2);
            TrainLog la = a.train(TASK, o, Progress.NONE), lb = b.train(TASK, o, Progress.NONE);
            assertThat(la.losses()).isEqualTo(lb.losses());
            assertThat(a.logits("Fruit of colour red:")).isEqualTo(b.logits("Fruit of colour red:"));
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
     * The organism's GGUF, run by the real embedded engine (llama.cpp b4916, opened as LlamaModel opens a
     * model), computes the trainer's forward pass: every one of the 49,152 logits at the last position agrees
     * within 1e-3 on prompts of different lengths, including tokens the training never saw (zero rows in the
     * file, logit exactly 0 in both). The two computations share nothing but the weights written to the file:
     * libtorch ops in the trainer, ggml kernels in the engine; so this checks the export (tensor names,
     * layouts, the tied output, metadata), the RoPE convention and RMSNorm epsilon, and is also an
     * independent check of the engine's llama forward pass.
     */
    @Test
    void theEngineComputesTheTrainersLogits(@TempDir Path dir) {
        Path file = dir.resolve("o.gguf");
        trained.export(file, Map.of("kind", "test"));
        List<String> prompts = List.of("Fruit", "Fruit of colour red:", "Fruit of colour purple: grape. Fruit of colour",
                "an unseen prompt: zebra crossing at 12:30", "Fruit of colour yellow: banana\nFruit of colour red: apple\nFruit of colour orange:");
        double worst = 0;
        List<String> report = new ArrayList<>();
        try (EngineProbe engine = EngineProbe.open(file, 64, 2)) {
            for (String p : prompts) {
                int[] t = engine.tokenize(p, true);
                assertThat(t).isEqualTo(trained.tokens(p, true));
                float[] mine = trained.logits(t), theirs = engine.logits(t);
                assertThat(theirs).hasSize(mine.length);
                double max = 0;
                for (int i = 0; i < mine.length; i++) max = Math.max(max, Math.abs(mine[i] - theirs[i]));
                report.add(t.length + " tokens: max |Δ| " + max);
                worst = Math.max(worst, max);
            }
        }
        System.out.println("logit equality: " + report + "; worst " + worst);
        assertThat(worst).as(report.toString()).isLessThan(1e-3);
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
        }
    }
}
