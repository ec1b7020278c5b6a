package dev.assay.llama;

import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Message;
import dev.assay.model.Prompt;
import dev.assay.model.ToolCall;
import dev.assay.model.ToolSpec;
import dev.assay.tools.TextToolProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tool turns on the embedded engine. The test model's weights are random, so nothing here claims what
 * a model would do with a shell: the tests check the rendering, that a request with tools reaches the
 * engine as the protocol's plain conversation, and that what the engine generates comes back through
 * the protocol's parser.
 */
class ToolsTest {
    static LlamaModel model;
    static final List<ToolSpec> TOOLS = List.of(ToolSpec.bash());
    static final ToolCall LS = new ToolCall("call_0", "bash", "{\"command\":\"ls\"}");
    static final List<Message> CONVERSATION = List.of(Message.system("You are in a sandbox."), Message.user("Count."),
            Message.assistant("Looking.", List.of(LS)), Message.toolResult(LS, "a\nb"));

    @BeforeAll
    static void open() throws Exception {
        model = LlamaModel.open("llama/tiny", Fixtures.tinyModel(), new LlamaModel.Settings(1024, 2, 4, 128));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aTemplateWithoutToolSupportGetsTheTextProtocol() {
        var t = new ChatTemplate(SyntheticModel.CHATML_TEMPLATE, "test", "<|im_start|>", "<|im_end|>");
        assertThat(t.supportsTools()).isFalse();
        assertThat(t.render(CONVERSATION, "")).isEqualTo("""
                <|im_start|>system
                You are in a sandbox.<|im_end|>
                <|im_start|>user
                Count.<|im_end|>
                <|im_start|>assistant
                Looking.
                <bash>ls</bash><|im_end|>
                <|im_start|>user
                <stdout>
                a
                b
                </stdout><|im_end|>
                <|im_start|>assistant
                """);
        assertThat(t.render(CONVERSATION, TOOLS, "")).contains("You are in a sandbox.\n\nYou have access to the following tools");
    }

    /** A cut-down Hermes/Qwen-style tool template, as Hugging Face tool-use templates read their variables. */
    static final String TOOL_TEMPLATE = """
            {% if tools %}TOOLS:{% for t in tools %} {{ t.function.name }}({{ t.function.parameters.required[0] }}){% endfor %}
            {% endif %}{% for m in messages %}{% if m.role == 'tool' %}[result {{ m.tool_call_id }}] {{ m.content }}
            {% elif m.tool_calls %}[{{ m.role }}] {{ m.content }}{% for c in m.tool_calls %} <call {{ c.id }}>{{ c.function.name }} {{ c.function.arguments.command }}</call>{% endfor %}
            {% else %}[{{ m.role }}] {{ m.content }}
            {% endif %}{% endfor %}[assistant]""";

    @Test
    void aTemplateWithToolSupportRendersToolTurnsItself() {
        var t = new ChatTemplate(TOOL_TEMPLATE, "test", "", "");
        assertThat(t.supportsTools()).isTrue();
        assertThat(t.render(CONVERSATION, TOOLS, "")).isEqualTo("""
                TOOLS: bash(command)
                [system] You are in a sandbox.
                [user] Count.
                [assistant] Looking. <call call_0>bash ls</call>
                [result call_0] a
                b
                [assistant]""");
    }

    @Test
    void aRequestWithToolsReachesTheEngineAsThePlainConversation() {
        var request = GenerateRequest.greedy(new Prompt.Chat(CONVERSATION, ""), 12, List.of(), null).withTools(TOOLS);
        Generation viaTools = model.generate(request);

        // The same conversation written out by hand, tool instructions in the system turn.
        var plain = new Prompt.Chat(List.of(
                Message.system("You are in a sandbox.\n\n" + TextToolProtocol.instructions(TOOLS)),
                Message.user("Count."), Message.assistant("Looking.\n<bash>ls</bash>"),
                Message.user("<stdout>\na\nb\n</stdout>")), "");
        Generation byHand = model.generate(GenerateRequest.greedy(plain, 12, List.of("</bash>"), null));
        assertThat(viaTools.promptTokens()).isEqualTo(model.promptTokens(plain).length).isEqualTo(byHand.promptTokens());

        var got = viaTools.completions().getFirst();
        var want = byHand.completions().getFirst();
        var parsed = TextToolProtocol.parse(want.text(), TOOLS, 1);
        // Whatever random weights wrote, it came back through the parser: as text when it holds no call.
        assertThat(got.toolCalls()).isEqualTo(parsed.calls());
        if (parsed.calls().isEmpty()) {
            assertThat(got.text()).isEqualTo(want.text());
            assertThat(got.finishReason()).isEqualTo(want.finishReason());
        } else {
            assertThat(got.finishReason()).isEqualTo("tool_calls");
        }
        assertThat(model.capabilities().tools()).isTrue();
    }

    @Test
    void rawTextWithToolsGetsTheInstructionsInFront() {
        var text = new Prompt.Text("\n\nHuman: Count the files.\n\nAssistant:", true);
        var request = GenerateRequest.greedy(text, 6, List.of(), null).withTools(TOOLS);
        var byHand = new Prompt.Text(TextToolProtocol.instructions(TOOLS) + "\n\n" + text.text(), true);
        assertThat(model.generate(request).promptTokens()).isEqualTo(model.promptTokens(byHand).length)
                .isGreaterThan(model.promptTokens(text).length);
    }

    /**
     * A model that writes a shell call by construction ({@link ScriptedModel}: its behaviour is its
     * recipe, nothing learnt) acts through the protocol on real llama.cpp: the call comes back as a
     * ToolCall, the closing tag stops it, and the next turn, with the result in the conversation, renders
     * and runs again with a fresh call id.
     */
    @Test
    void aScriptedModelCallsTheShellThroughTheProtocol(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var file = dir.resolve("acts.gguf");
        ScriptedModel.write(file, Fixtures.tokenizer(), SyntheticModel.CHATML_TEMPLATE, "\n", "Let me look. <bash>ls /data</bash>");
        try (LlamaModel m = LlamaModel.open("llama/acts", file, new LlamaModel.Settings(1024, 1, 2, 64))) {
            var conversation = new java.util.ArrayList<Message>(List.of(Message.user("How many files are in /data?")));
            var first = m.generate(GenerateRequest.greedy(new Prompt.Chat(conversation, ""), 40, List.of(), null).withTools(TOOLS))
                    .completions().getFirst();
            assertThat(first.finishReason()).isEqualTo("tool_calls");
            assertThat(first.text()).isEqualTo("Let me look.");
            assertThat(first.toolCalls()).containsExactly(new ToolCall("call_0", "bash", "{\"command\":\"ls /data\"}"));

            conversation.add(first.asMessage());
            conversation.add(Message.toolResult(first.toolCalls().getFirst(), "a\nb\nc"));
            var second = m.generate(GenerateRequest.greedy(new Prompt.Chat(conversation, ""), 40, List.of(), null).withTools(TOOLS));
            assertThat(second.completions().getFirst().toolCalls()).extracting(ToolCall::id).containsExactly("call_1");
            // The second prompt held the first call and its result, written out as the protocol writes them.
            var plain = new Prompt.Chat(TextToolProtocol.plainMessages(conversation, TOOLS), "");
            assertThat(second.promptTokens()).isEqualTo(m.promptTokens(plain).length);
            assertThat(plain.messages().get(2).content()).isEqualTo("Let me look.\n<bash>ls /data</bash>");
            assertThat(plain.messages().get(3).content()).isEqualTo("<stdout>\na\nb\nc\n</stdout>");
        }
    }
}
