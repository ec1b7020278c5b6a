package dev.assay.tools;

import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Message;
import dev.assay.model.ModelCallException;
import dev.assay.model.Prompt;
import dev.assay.model.ToolCall;
import dev.assay.model.ToolSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextToolProtocolTest {
    static final ToolSpec BASH = ToolSpec.bash();
    static final ToolSpec WRITE = new ToolSpec("write_file", "Write a file.",
            "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"text\":{\"type\":\"string\"}}}");

    @Test
    void parsesABashCallAndTheProseAroundIt() {
        var p = TextToolProtocol.parse("Let me look.\n<bash>\nls -la /root\n</bash>", List.of(BASH), 3);
        assertThat(p.text()).isEqualTo("Let me look.");
        assertThat(p.calls()).containsExactly(new ToolCall("call_3", "bash", "{\"command\":\"ls -la /root\"}"));
        assertThat(p.calls().getFirst().argument("command")).isEqualTo("ls -la /root");
    }

    @Test
    void anUnclosedCallAtTheEndIsTheStopSequenceAtWork() {
        var p = TextToolProtocol.parse("<cot>check</cot> <bash>cat a.txt", List.of(BASH), 0);
        assertThat(p.text()).isEqualTo("<cot>check</cot>");
        assertThat(p.calls()).extracting(c -> c.argument("command")).containsExactly("cat a.txt");
    }

    @Test
    void textWithoutTagsHasNoCalls() {
        var p = TextToolProtocol.parse("There have been 12 episodes. bash is a shell.", List.of(BASH), 0);
        assertThat(p.calls()).isEmpty();
        assertThat(p.text()).isEqualTo("There have been 12 episodes. bash is a shell.");
    }

    @Test
    void severalToolsAndJsonBodies() {
        var p = TextToolProtocol.parse("<write_file>{\"path\":\"a\",\"text\":\"x\"}</write_file> then <bash>cat a</bash>",
                List.of(BASH, WRITE), 0);
        assertThat(p.calls()).extracting(ToolCall::name).containsExactly("write_file", "bash");
        assertThat(p.calls().getFirst().argument("path")).isEqualTo("a");
        assertThat(p.calls()).extracting(ToolCall::id).containsExactly("call_0", "call_1");
        assertThat(p.text()).isEqualTo("then");
        assertThatThrownBy(() -> TextToolProtocol.parse("<write_file>{path: a}</write_file>", List.of(WRITE), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("<write_file>");
    }

    @Test
    void rendersCallsAndResultsAsInTheTranscripts() {
        var call = new ToolCall("call_0", "bash", "{\"command\":\"ls\"}");
        assertThat(TextToolProtocol.render(call, List.of(BASH))).isEqualTo("<bash>ls</bash>");
        // Not offered in this request: a lone string argument is still written bare.
        assertThat(TextToolProtocol.render(call, List.of())).isEqualTo("<bash>ls</bash>");
        assertThat(TextToolProtocol.render(new Message.ToolResult("call_0", "bash", "a.txt\nb.txt", "", false)))
                .isEqualTo("<stdout>\na.txt\nb.txt\n</stdout>");
        assertThat(TextToolProtocol.render(new Message.ToolResult("call_0", "bash", "", "ls: x: No such file", true)))
                .isEqualTo("<stderr>\nls: x: No such file\n</stderr>");
        assertThat(TextToolProtocol.render(new Message.ToolResult("call_0", "bash", "out", "warn", false)))
                .isEqualTo("<stdout>\nout\n</stdout>\n<stderr>\nwarn\n</stderr>");
        // A call written out and parsed back is the same call.
        var back = TextToolProtocol.parse(TextToolProtocol.render(call, List.of(BASH)), List.of(BASH), 0);
        assertThat(back.calls()).containsExactly(call);
    }

    @Test
    void conversationWithToolTurnsBecomesPlainText() {
        var call = new ToolCall("call_0", "bash", "{\"command\":\"ls\"}");
        List<Message> chat = List.of(Message.system("You are in a sandbox."), Message.user("Count the files."),
                Message.assistant("Looking.", List.of(call)), Message.toolResult(call, "a\nb"), Message.assistant("Two."));
        List<Message> plain = TextToolProtocol.plainMessages(chat, List.of(BASH));
        assertThat(plain).extracting(Message::role).containsExactly("system", "user", "assistant", "user", "assistant");
        assertThat(plain.get(0).content()).startsWith("You are in a sandbox.\n\nYou have access to the following tools")
                .contains("<bash>").contains("<stdout></stdout>");
        assertThat(plain.get(2).content()).isEqualTo("Looking.\n<bash>ls</bash>");
        assertThat(plain.get(3).content()).isEqualTo("<stdout>\na\nb\n</stdout>");
        assertThat(plain).noneMatch(TextToolProtocol::toolTurn);
    }

    @Test
    void generateRunsTheRequestThroughTheProtocol() {
        var seen = new ArrayList<GenerateRequest>();
        var call0 = new ToolCall("call_0", "bash", "{\"command\":\"ls\"}");
        var chat = new Prompt.Chat(List.of(Message.user("Count the files."), Message.assistant("", List.of(call0)),
                Message.toolResult(call0, "a\nb")), "");
        var req = GenerateRequest.greedy(chat, 50, List.of("\n\nHuman:"), null).withTools(List.of(BASH));
        Generation g = TextToolProtocol.generate(req, r -> {
            seen.add(r);
            return Generation.of("Once more to be sure. <bash>ls | wc -l");
        });
        GenerateRequest sent = seen.getFirst();
        assertThat(sent.tools()).isEmpty();
        assertThat(sent.stop()).containsExactly("\n\nHuman:", "</bash>");
        var msgs = ((Prompt.Chat) sent.prompt()).messages();
        assertThat(msgs).extracting(Message::role).containsExactly("system", "user", "assistant", "user");
        assertThat(msgs.get(3).content()).isEqualTo("<stdout>\na\nb\n</stdout>");
        var c = g.completions().getFirst();
        assertThat(c.finishReason()).isEqualTo("tool_calls");
        assertThat(c.text()).isEqualTo("Once more to be sure.");
        // The conversation held one call already: the new one gets the next id.
        assertThat(c.toolCalls()).containsExactly(new ToolCall("call_1", "bash", "{\"command\":\"ls | wc -l\"}"));
        assertThat(c.asMessage()).isEqualTo(Message.assistant("Once more to be sure.", c.toolCalls()));

        Generation plain = TextToolProtocol.generate(req, r -> Generation.of("Two files."));
        assertThat(plain.completions().getFirst().toolCalls()).isEmpty();
        assertThat(plain.completions().getFirst().finishReason()).isEqualTo("stop");

        var json = GenerateRequest.greedy(new Prompt.Text("go"), 5, List.of(), null).withTools(List.of(WRITE));
        assertThatThrownBy(() -> TextToolProtocol.generate(json, r -> Generation.of("<write_file>{oops")))
                .isInstanceOf(ModelCallException.class).hasMessageContaining("malformed tool call");
    }

    @Test
    void toolValuesRejectBadInput() {
        assertThatThrownBy(() -> new ToolCall("c", "bash", "{\"command\": ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> new ToolCall("c", "bash", "[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> new ToolSpec("run shell", "", "{}")).hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> GenerateRequest.greedy(new Prompt.Text("x"), 1, List.of(), null)
                .withTools(List.of(BASH, BASH))).hasMessageContaining("share a name");
    }
}
