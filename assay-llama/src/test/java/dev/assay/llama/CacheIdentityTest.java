package dev.assay.llama;

import dev.assay.cache.CachingModel;
import dev.assay.cache.ResponseCache;
import dev.assay.model.CallTag;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Message;
import dev.assay.model.Prompt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The response cache keys a local model by its file as well as its path: organisms are retrained in place. */
class CacheIdentityTest {

    @Test
    void aModelRewrittenAtTheSamePathIsAskedAgainNotAnsweredFromTheCache(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("organism.gguf");
        var settings = new LlamaModel.Settings(512, 1, 2, 64);
        var request = GenerateRequest.greedy(new Prompt.Chat(List.of(Message.user("Which one?")), null), 20, List.of(),
                new CallTag("item-1", 0, "answer"));
        ScriptedModel.write(file, Fixtures.tokenizer(), SyntheticModel.CHATML_TEMPLATE, "\n", "The answer is (A)");
        try (ResponseCache cache = ResponseCache.open(dir.resolve("store"))) {
            try (var m = new CachingModel(LlamaModel.open("llama/" + file, file, settings), cache, "")) {
                assertThat(m.generateAnswered(request).value().text()).isEqualTo("The answer is (A)");
                assertThat(m.generateAnswered(request).cached()).isTrue();
            }
            // Same path, same size (the scripts differ in one letter), newer file.
            ScriptedModel.write(file, Fixtures.tokenizer(), SyntheticModel.CHATML_TEMPLATE, "\n", "The answer is (B)");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
            try (var m = new CachingModel(LlamaModel.open("llama/" + file, file, settings), cache, "")) {
                var again = m.generateAnswered(request);
                assertThat(again.cached()).isFalse();
                assertThat(again.value().text()).isEqualTo("The answer is (B)");
            }
        }
    }
}
