package dev.assay.llama;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * SmolLM2-135M-Instruct's tokenizer (Apache-2.0; NOTICE.md beside it in this jar): the vocabulary of every
 * GGUF this project writes itself — the synthetic and scripted models of the tests and benchmarks, and the
 * organisms assay-organisms trains. {@link SyntheticModel} reads a tokenizer.json from disk (and the
 * config.json beside it), so the files are copied out of the jar once per JVM.
 */
public final class BundledTokenizer {
    private static final String RESOURCES = "/dev/assay/llama/tokenizers/smollm2-135m-instruct/";
    private static Path json;

    private BundledTokenizer() {
    }

    /** The tokenizer.json, on disk, with its config.json (bos/eos ids) beside it. */
    public static synchronized Path smolLm2() {
        if (json == null) {
            try {
                Path dir = Files.createTempDirectory("assay-tokenizer");
                dir.toFile().deleteOnExit();
                for (String name : new String[] {"tokenizer.json", "config.json"}) {
                    Path out = dir.resolve(name);
                    try (InputStream in = BundledTokenizer.class.getResourceAsStream(RESOURCES + name)) {
                        if (in == null) throw new IllegalStateException(RESOURCES + name + " is missing from the assay-llama jar");
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                    out.toFile().deleteOnExit();
                }
                json = dir.resolve("tokenizer.json");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy out the bundled SmolLM2 tokenizer", e);
            }
        }
        return json;
    }
}
