package dev.assay.llama;

import dev.assay.AssayException;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Message;
import dev.assay.model.Prompt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScriptedModelTest {

    @Test
    void writesItsScriptAfterAnyChatPromptAndThenStops(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scripted.gguf");
        ScriptedModel.write(file, Fixtures.tokenizer(), SyntheticModel.CHATML_TEMPLATE, "\n", "The answer is (B)");
        try (LlamaModel m = LlamaModel.open("llama/scripted", file, new LlamaModel.Settings(512, 1, 2, 64))) {
            for (String question : List.of("What is in this folder?", "Something else entirely")) {
                var g = m.generate(GenerateRequest.greedy(new Prompt.Chat(List.of(Message.user(question)), null), 40, List.of(), null));
                // the script, then <|im_end|> (end of generation) long before the 40-token limit
                assertThat(g.text()).isEqualTo("The answer is (B)");
                assertThat(g.completions().getFirst().finishReason()).isEqualTo("stop");
                assertThat(g.completionTokens()).isLessThan(10);
            }
        }
    }

    @Test
    void aScriptWhoseLastTokenRepeatsEndsAtItsStopString(@TempDir Path dir) throws Exception {
        // ">" is followed by "echo" inside the script, so after the closing tag the model would go on:
        // the tool protocol's stop string "</bash>" ends it, as it ends a real model's call
        Path file = dir.resolve("bash.gguf");
        ScriptedModel.write(file, Fixtures.tokenizer(), SyntheticModel.CHATML_TEMPLATE, "\n", "<bash>echo hi</bash>");
        try (LlamaModel m = LlamaModel.open("llama/scripted", file, new LlamaModel.Settings(512, 1, 2, 64))) {
            var open = m.generate(GenerateRequest.greedy(new Prompt.Chat(List.of(Message.user("go")), null), 12, List.of(), null));
            assertThat(open.text()).startsWith("<bash>echo hi</bash>echo hi");
            var stopped = m.generate(GenerateRequest.greedy(new Prompt.Chat(List.of(Message.user("go")), null), 40,
                    List.of("</bash>"), null));
            assertThat(stopped.text()).isEqualTo("<bash>echo hi");
            assertThat(stopped.completions().getFirst().finishReason()).isEqualTo("stop");
        }
    }

    @Test
    void refusesAScriptWhoseNextTokenIsNotAFunctionOfTheCurrentOne(@TempDir Path dir) {
        // " a b a c": after " a" comes " b" once and " c" once
        assertThatThrownBy(() -> ScriptedModel.write(dir.resolve("x.gguf"), Fixtures.tokenizer(), null, "\n", " a b a c"))
                .isInstanceOf(AssayException.class).hasMessageContaining("followed by both");
    }
}
