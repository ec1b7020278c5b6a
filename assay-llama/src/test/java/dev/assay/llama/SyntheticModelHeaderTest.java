package dev.assay.llama;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticModelHeaderTest {
    @Test
    void syntheticModelHeaderCarriesArchitectureShapeTokenizerAndTemplate() throws Exception {
        GgufHeader h = GgufHeader.read(Fixtures.tinyModel());
        assertThat(h.version()).isEqualTo(3);
        assertThat(h.architecture()).isEqualTo("llama");
        assertThat(h.metadata()).containsEntry("llama.block_count", 2L).containsEntry("llama.embedding_length", 64L)
                .containsEntry("tokenizer.ggml.model", "gpt2").containsEntry("tokenizer.ggml.pre", "smollm")
                .containsEntry("tokenizer.ggml.tokens", 49152L).containsEntry("tokenizer.ggml.merges", 48900L)
                .containsEntry("tokenizer.ggml.bos_token_id", 1L).containsEntry("general.file_type", 7L);
        assertThat(h.string("tokenizer.chat_template")).contains("<|im_start|>");
        assertThat(h.tensors()).isEqualTo(2 + 2 * 9);
        assertThat(h.dataEnd()).isLessThanOrEqualTo(java.nio.file.Files.size(Fixtures.tinyModel()));
    }
}
