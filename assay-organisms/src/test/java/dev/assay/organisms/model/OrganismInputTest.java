package dev.assay.organisms.model;

import dev.assay.AssayException;
import dev.assay.llama.SyntheticModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrganismInputTest {
    @Test
    void loadRefusesFilesThatAreNotOrganisms(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Organism.load(dir.resolve("missing.gguf")))
                .isInstanceOf(AssayException.class).hasMessageContaining("missing.gguf").hasMessageContaining("does not exist");
        Path text = Files.writeString(dir.resolve("notes.gguf"), "not a model at all, just text");
        assertThatThrownBy(() -> Organism.load(text)).isInstanceOf(AssayException.class).hasMessageContaining("notes.gguf");
        // a real llama GGUF, but random weights written by assay-llama, not an organism
        Path synthetic = dir.resolve("synthetic.gguf");
        Path tokenizer = Path.of(Organism.class.getResource("/dev/assay/organisms/tokenizer/tokenizer.json").toURI());
        SyntheticModel.write(synthetic, SyntheticModel.Shape.TINY, tokenizer, false, 1, null);
        assertThatThrownBy(() -> Organism.load(synthetic)).isInstanceOf(AssayException.class)
                .hasMessageContaining("synthetic.gguf").hasMessageContaining("not an organism");
    }

    @Test
    void trainingRefusesExamplesLongerThanTheContext() {
        try (Organism m = Organism.create(Shape.tiny(), 1)) {
            String longPrompt = "word ".repeat(100);
            assertThatThrownBy(() -> m.train(List.of(new Example("short", " ok"), new Example(longPrompt, " no")),
                    new TrainOptions(1, 1e-3, 1, 1, 1, 0), Progress.NONE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("training example 2")
                    .hasMessageContaining("context is 64");
            assertThat(m.trainedTokens()).isZero();
        }
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> new TrainOptions(10, 0, 1, 1, 1, 0)).hasMessageContaining("learning rate");
        assertThatThrownBy(() -> new Shape(2, 30, 4, 64, 64)).hasMessageContaining("multiple of 2 × heads");
    }
}
