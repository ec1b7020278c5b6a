package dev.assay.llama;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test models written by {@link SyntheticModel} with the bundled SmolLM2 tokenizer. */
final class Fixtures {
    private static Path tiny;

    private Fixtures() {
    }

    static Path tokenizer() {
        return BundledTokenizer.smolLm2();
    }

    /** A 2-layer, 64-wide Q8_0 model with the SmolLM2 vocabulary and ChatML template, shared by the tests. */
    static synchronized Path tinyModel() throws IOException {
        if (tiny == null) {
            Path dir = Files.createTempDirectory("assay-llama-test");
            tiny = dir.resolve("tiny.gguf");
            SyntheticModel.write(tiny, SyntheticModel.Shape.TINY, tokenizer(), true, 42, SyntheticModel.CHATML_TEMPLATE);
            tiny.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
        }
        return tiny;
    }
}
