package dev.assay.tools;

import dev.assay.model.Capabilities;
import dev.assay.model.ContinuationScore;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Message;
import dev.assay.model.Model;
import dev.assay.model.Prompt;
import dev.assay.model.ScoreRequest;
import dev.assay.model.ToolSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextToolModelTest {

    @Test
    void toolRequestsGoThroughTheProtocolOthersPassUnchanged() {
        var seen = new ArrayList<GenerateRequest>();
        Model text = new Model() {
            public String spec() { return "text/only"; }
            public Capabilities capabilities() { return new Capabilities(true, false, true, true, 0, 0, 0); }
            public Generation generate(GenerateRequest r) {
                seen.add(r);
                return Generation.of("<bash>pwd");
            }
            public List<ContinuationScore> score(ScoreRequest r) { return List.of(ContinuationScore.of(-1)); }
        };
        var model = new TextToolModel(text);
        assertThat(text.capabilities().tools()).isFalse();
        assertThat(model.capabilities().tools()).isTrue();
        assertThat(model.capabilities().canScore()).isTrue();

        var plain = GenerateRequest.greedy(new Prompt.Chat(List.of(Message.user("hi")), ""), 5, List.of(), null);
        assertThat(model.generate(plain).completions().getFirst().toolCalls()).isEmpty();
        assertThat(seen.getLast()).isSameAs(plain);

        var withTools = plain.withTools(List.of(ToolSpec.bash()));
        var c = model.generate(withTools).completions().getFirst();
        assertThat(c.toolCalls()).extracting(t -> t.argument("command")).containsExactly("pwd");
        assertThat(seen.getLast().tools()).isEmpty();
        assertThat(seen.getLast().stop()).containsExactly("</bash>");
        assertThat(((Prompt.Chat) seen.getLast().prompt()).messages().getFirst().role()).isEqualTo("system");
    }
}
