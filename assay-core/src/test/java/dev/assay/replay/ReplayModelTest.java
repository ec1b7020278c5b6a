package dev.assay.replay;

import dev.assay.AssayException;
import dev.assay.model.CallTag;
import dev.assay.model.Prompt;
import dev.assay.model.ScoreRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 12 item 7: a log-probability is a finite number at most 0; anything else names file and line. */
class ReplayModelTest {
    @TempDir
    Path dir;

    Path replay(String secondLine) throws Exception {
        return Files.writeString(dir.resolve("r.jsonl"),
                "{\"id\": \"a:1\", \"scores\": {\" Yes\": -0.5, \" No\": -1.0}}\n" + secondLine + "\n");
    }

    @Test
    void rejectsPositiveLogProbsNamingFileAndLine() throws Exception {
        Path file = replay("{\"id\": \"a:2\", \"scores\": {\" Yes\": 0.7, \" No\": -1.0}}");
        assertThatThrownBy(() -> new ReplayModel("replay/r", file)).isInstanceOf(AssayException.class)
                .hasMessageContaining(file + ":2").hasMessageContaining("\" Yes\"").hasMessageContaining("0.7");
    }

    @Test
    void rejectsOverflowingLogProbs() throws Exception {
        // 1e999 parses as +Infinity; -1e999 as -Infinity (renormalising two of them gives NaN)
        for (String v : new String[]{"1e999", "-1e999"}) {
            Path file = replay("{\"id\": \"a:2\", \"scores\": {\" Yes\": -0.1, \" No\": " + v + "}}");
            assertThatThrownBy(() -> new ReplayModel("replay/r", file)).as(v).isInstanceOf(AssayException.class)
                    .hasMessageContaining(file + ":2").hasMessageContaining("\" No\"").hasMessageContaining("finite");
        }
    }

    @Test
    void rejectsNaNWrittenAsText() throws Exception {
        Path file = replay("{\"id\": \"a:2\", \"scores\": {\" Yes\": \"NaN\", \" No\": -1.0}}");
        assertThatThrownBy(() -> new ReplayModel("replay/r", file)).isInstanceOf(AssayException.class)
                .hasMessageContaining(file + ":2");
    }

    @Test
    void acceptsZeroAndNegativeLogProbs() throws Exception {
        Path file = replay("{\"id\": \"a:2\", \"scores\": {\" Yes\": 0, \" No\": -40.5}}");
        var model = new ReplayModel("replay/r", file);
        var scores = model.score(new ScoreRequest(new Prompt.Text("q"), List.of(" Yes", " No"), new CallTag("a:2", 1, "")));
        assertThat(scores).extracting(s -> s.logprob()).containsExactly(0.0, -40.5);
    }
}
