package dev.assay.organisms.model;

import dev.assay.llama.EngineProbe;
import dev.assay.llama.SyntheticModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The SmolLM2 tokenizer as llama.cpp runs it. Organisms are tokenized by llama.cpp itself, through a
 * random-weight model carrying the same tokenizer metadata an exported organism carries
 * (written by assay-llama's SyntheticModel header), so trainer and engine split text identically by
 * construction. One per JVM, opened on first use; tokenization is thread-safe in llama.cpp.
 */
final class Vocabulary {
    private static Vocabulary instance;

    final Path tokenizerJson;
    final EngineProbe probe;
    final int size, eos;

    private Vocabulary(Path tokenizerJson, EngineProbe probe) {
        this.tokenizerJson = tokenizerJson;
        this.probe = probe;
        this.size = probe.vocabularySize();
        this.eos = probe.eos();
    }

    static synchronized Vocabulary get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("assay-organisms-vocab");
                dir.toFile().deleteOnExit();
                Path json = extract(dir, "tokenizer.json");
                extract(dir, "config.json"); // bos/eos ids, read beside tokenizer.json
                Path model = dir.resolve("vocabulary.gguf");
                SyntheticModel.write(model, SyntheticModel.Shape.TINY, json, true, 1, SyntheticModel.CHATML_TEMPLATE);
                model.toFile().deleteOnExit();
                instance = new Vocabulary(json, EngineProbe.open(model, 64, 1));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the SmolLM2 tokenizer", e);
            }
        }
        return instance;
    }

    private static Path extract(Path dir, String name) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = Vocabulary.class.getResourceAsStream("/dev/assay/organisms/tokenizer/" + name)) {
            if (in == null) throw new IllegalStateException("tokenizer resource " + name + " missing from the assay-organisms jar");
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
        out.toFile().deleteOnExit();
        return out;
    }

    int[] tokenize(String text, boolean special) {
        return probe.tokenize(text, special);
    }

    byte[] piece(int token) {
        return probe.pieceBytes(token);
    }

    boolean endOfGeneration(int token) {
        return probe.isEndOfGeneration(token);
    }
}
