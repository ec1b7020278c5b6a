package dev.assay.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.http.fake.FakeServer;
import dev.assay.http.fake.ToolTurn;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Message;
import dev.assay.model.Model;
import dev.assay.model.ModelCallException;
import dev.assay.model.Prompt;
import dev.assay.model.ToolCall;
import dev.assay.model.ToolSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Native tool calling on both wire formats, against the loopback server that checks each turn. */
class ToolCallingTest {
    static final String TASK = "How many files are in /data?";
    static final List<ToolSpec> TOOLS = List.of(ToolSpec.bash());

    static OpenAiModel openAi(FakeServer server, Path dir) {
        return new OpenAiModel("gpt-fake", OpenAiModelTest.options(List.of(server.baseUrl().toString()), dir,
                Map.of("max_attempts", "3")), OpenAiModel.Flavour.OPENAI, v -> v.equals("OPENAI_API_KEY") ? "ak-1" : null);
    }

    static AnthropicModel anthropic(FakeServer server, Path dir) {
        return AnthropicModelTest.model(server, dir, Map.of("max_attempts", "3"));
    }

    static GenerateRequest ask(List<Message> conversation) {
        return GenerateRequest.greedy(new Prompt.Chat(conversation, ""), 64, List.of(), null).withTools(TOOLS);
    }

    /** Model asks for the shell, the test runs "it" and sends the result, the model answers from it. */
    static void multiTurn(Model model, FakeServer server, String finish) {
        server.scriptTools(TASK, ToolTurn.call("bash", "{\"command\":\"ls /data | wc -l\"}"),
                ToolTurn.answer("There are {result} files."));
        var conversation = new ArrayList<Message>(List.of(Message.system("You are in a sandbox."), Message.user(TASK)));

        Generation first = model.generate(ask(conversation));
        Generation.Completion asked = first.completions().getFirst();
        assertThat(asked.finishReason()).isEqualTo(finish);
        assertThat(asked.toolCalls()).hasSize(1);
        ToolCall call = asked.toolCalls().getFirst();
        assertThat(call.name()).isEqualTo("bash");
        assertThat(call.argument("command")).isEqualTo("ls /data | wc -l");
        assertThat(call.id()).isNotBlank();

        conversation.add(asked.asMessage());
        conversation.add(Message.toolResult(call, "3"));
        Generation second = model.generate(ask(conversation));
        // The answer quotes the result the server received: it went out as a reply to the right id.
        assertThat(second.text()).isEqualTo("There are 3 files.");
        assertThat(second.completions().getFirst().toolCalls()).isEmpty();
        assertThat(server.toolCallsSent()).isEqualTo(1);
        assertThat(server.toolResultsReceived()).isEqualTo(1);
        assertThat(model.capabilities().tools()).isTrue();
    }

    @Test
    void openAiMultiTurnToolConversation(@TempDir Path dir) {
        try (var server = FakeServer.start(FakeServer.Options.defaults()); var model = openAi(server, dir)) {
            multiTurn(model, server, "tool_calls");
        }
    }

    @Test
    void anthropicMultiTurnToolConversation(@TempDir Path dir) {
        try (var server = FakeServer.start(FakeServer.Options.defaults().withApiKey("ak-1")); var model = anthropic(server, dir)) {
            multiTurn(model, server, "tool_use");
        }
    }

    @Test
    void openAiBodiesHaveTheWireShapes(@TempDir Path dir) {
        try (var server = FakeServer.start(FakeServer.Options.defaults()); var model = openAi(server, dir)) {
            var call = new ToolCall("call_7", "bash", "{\"command\":\"ls\"}");
            JsonNode b = model.chatBody(ask(List.of(Message.user("go"), Message.assistant("", List.of(call)),
                    Message.toolResult(call, "out", "err", true))));
            assertThat(b.at("/tools/0/type").asText()).isEqualTo("function");
            assertThat(b.at("/tools/0/function/name").asText()).isEqualTo("bash");
            assertThat(b.at("/tools/0/function/parameters/required/0").asText()).isEqualTo("command");
            assertThat(b.at("/messages/1/content").isNull()).isTrue();
            assertThat(b.at("/messages/1/tool_calls/0/id").asText()).isEqualTo("call_7");
            assertThat(b.at("/messages/1/tool_calls/0/function/arguments").asText()).isEqualTo("{\"command\":\"ls\"}");
            assertThat(b.at("/messages/2/role").asText()).isEqualTo("tool");
            assertThat(b.at("/messages/2/tool_call_id").asText()).isEqualTo("call_7");
            assertThat(b.at("/messages/2/content").asText()).isEqualTo("out\nerr");
            // Without tools the body is what it always was: no tools field.
            assertThat(model.chatBody(GenerateRequest.greedy(new Prompt.Text("x"), 5, List.of(), null)).has("tools")).isFalse();
        }
    }

    @Test
    void anthropicBodiesHaveTheWireShapes(@TempDir Path dir) {
        try (var server = FakeServer.start(FakeServer.Options.defaults().withApiKey("ak-1")); var model = anthropic(server, dir)) {
            var a = new ToolCall("toolu_1", "bash", "{\"command\":\"ls\"}");
            var b2 = new ToolCall("toolu_2", "bash", "{\"command\":\"pwd\"}");
            JsonNode b = model.body(ask(List.of(Message.system("sys"), Message.user("go"),
                    Message.assistant("Two at once.", List.of(a, b2)), Message.toolResult(a, "x"),
                    Message.toolResult(b2, "", "denied", true), Message.user("and then?"))), 0);
            assertThat(b.at("/system").asText()).isEqualTo("sys");
            assertThat(b.at("/tools/0/name").asText()).isEqualTo("bash");
            assertThat(b.at("/tools/0/input_schema/type").asText()).isEqualTo("object");
            assertThat(b.at("/messages/1/content/0/type").asText()).isEqualTo("text");
            assertThat(b.at("/messages/1/content/1/type").asText()).isEqualTo("tool_use");
            assertThat(b.at("/messages/1/content/1/input/command").asText()).isEqualTo("ls");
            assertThat(b.at("/messages/2/role").asText()).isEqualTo("user");
            assertThat(b.at("/messages/2/content/0/tool_use_id").asText()).isEqualTo("toolu_1");
            assertThat(b.at("/messages/2/content/0").has("is_error")).isFalse();
            assertThat(b.at("/messages/2/content/1/tool_use_id").asText()).isEqualTo("toolu_2");
            assertThat(b.at("/messages/2/content/1/is_error").asBoolean()).isTrue();
            assertThat(b.at("/messages/2/content/1/content").asText()).isEqualTo("denied");
            // The user's next words join the results' message: the API wants strictly alternating roles.
            assertThat(b.at("/messages/2/content/2/text").asText()).isEqualTo("and then?");
            assertThat(b.at("/messages").size()).isEqualTo(3);
        }
    }

    @Test
    void theServerRefusesResultsThatAnswerNoCall(@TempDir Path dir) {
        var issued = new ToolCall("call_1", "bash", "{\"command\":\"ls\"}");
        var stray = new ToolCall("call_9", "bash", "{\"command\":\"ls\"}");
        List<Message> wrongId = List.of(Message.user(TASK), Message.assistant("", List.of(issued)), Message.toolResult(stray, "3"));
        List<Message> unanswered = List.of(Message.user(TASK), Message.assistant("", List.of(issued)), Message.user("well?"));
        try (var server = FakeServer.start(FakeServer.Options.defaults().withApiKey("ak-1"));
             var o = openAi(server, dir); var a = anthropic(server, dir)) {
            // The real APIs' checks, kept by the fake: these must fail, or the fake proves nothing.
            assertThatThrownBy(() -> o.generate(ask(wrongId))).isInstanceOf(ModelCallException.class)
                    .hasMessageContaining("HTTP 400").hasMessageContaining("call_9");
            assertThatThrownBy(() -> o.generate(ask(unanswered))).isInstanceOf(ModelCallException.class)
                    .hasMessageContaining("did not have response messages").hasMessageContaining("call_1");
            assertThatThrownBy(() -> a.generate(ask(wrongId))).isInstanceOf(ModelCallException.class)
                    .hasMessageContaining("unexpected tool_use_id").hasMessageContaining("call_9");
            List<Message> noResult = List.of(Message.user(TASK), Message.assistant("", List.of(issued)));
            assertThatThrownBy(() -> a.generate(ask(noResult))).isInstanceOf(ModelCallException.class)
                    .hasMessageContaining("without tool_result blocks").hasMessageContaining("call_1");
            assertThat(server.toolResultsReceived()).isZero();
        }
    }

    @Test
    void scriptedCallsOfToolsNotOfferedAreRefused(@TempDir Path dir) {
        try (var server = FakeServer.start(FakeServer.Options.defaults()); var o = openAi(server, dir)) {
            server.scriptTools("edit", ToolTurn.call("write_file", "{\"path\":\"a\"}"));
            assertThatThrownBy(() -> o.generate(ask(List.of(Message.user("edit"))))).isInstanceOf(ModelCallException.class)
                    .hasMessageContaining("did not offer");
            // Not offering tools at all: the prompt is answered as plain text.
            var plain = o.generate(GenerateRequest.greedy(new Prompt.Chat(List.of(Message.user("edit")), ""), 8, List.of(), null));
            assertThat(plain.completions().getFirst().toolCalls()).isEmpty();
            assertThat(plain.text()).isNotEmpty();
        }
    }

    @Test
    void malformedArgumentsAreAClearModelCallException(@TempDir Path dir) {
        try (var server = FakeServer.start(FakeServer.Options.defaults().withApiKey("ak-1"));
             var o = openAi(server, dir); var a = anthropic(server, dir)) {
            server.scriptTools("Break it", ToolTurn.call("bash", "{\"command\": \"ls"));
            assertThatThrownBy(() -> o.generate(ask(List.of(Message.user("Break it")))))
                    .isInstanceOf(ModelCallException.class)
                    .hasMessageStartingWith("openai/gpt-fake: the model's tool call is malformed")
                    .hasMessageContaining("bash").hasMessageContaining("not valid JSON");
            assertThatThrownBy(() -> a.generate(ask(List.of(Message.user("Break it")))))
                    .isInstanceOf(ModelCallException.class)
                    .hasMessageStartingWith("anthropic/claude-fake: the model's tool call is malformed")
                    .hasMessageContaining("not a JSON object");
            server.scriptTools("Not an object", ToolTurn.call("bash", "[\"ls\"]"));
            assertThatThrownBy(() -> o.generate(ask(List.of(Message.user("Not an object")))))
                    .isInstanceOf(ModelCallException.class).hasMessageContaining("not a JSON object");
            // Not retried: the body was well formed, the model's call was not.
            assertThat(server.received()).isEqualTo(3);
        }
    }

    @Test
    void compatibleServersWithoutAToolParserUseTheTextProtocol(@TempDir Path dir) {
        var scripted = Map.of("Count the files.", "Sure. <bash>ls /data</bash> and then I make up output",
                "<stdout>\na\nb\n</stdout>", "Two files.");
        try (var server = FakeServer.start(FakeServer.Options.defaults().withScripted(scripted));
             var model = OpenAiModelTest.compatible(server, dir, Map.of("tools", "text"))) {
            var conversation = new ArrayList<Message>(List.of(Message.user("Count the files.")));
            var first = model.generate(ask(conversation)).completions().getFirst();
            // The closing tag went out as a stop sequence, so the model stopped after its call.
            assertThat(first.text()).isEqualTo("Sure.");
            assertThat(first.finishReason()).isEqualTo("tool_calls");
            assertThat(first.toolCalls()).extracting(c -> c.argument("command")).containsExactly("ls /data");
            conversation.add(first.asMessage());
            conversation.add(Message.toolResult(first.toolCalls().getFirst(), "a\nb"));
            var second = model.generate(ask(conversation)).completions().getFirst();
            assertThat(second.text()).isEqualTo("Two files.");
            assertThat(second.toolCalls()).isEmpty();
            // Nothing native went out.
            assertThat(server.toolResultsReceived()).isZero();
        }
    }
}
