package dev.assay.model;

import dev.assay.run.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessageTest {

    @Test
    void loggedPlainMessagesReadAsBeforeMessagesWereSealed() throws Exception {
        // Suites log prompts (Dialogue, lists of messages) as they are: the JSON must not change.
        assertThat(Json.MAPPER.writeValueAsString(List.of(Message.system("s"), Message.user("hi"), Message.assistant("ok"))))
                .isEqualTo("[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"hi\"},"
                        + "{\"role\":\"assistant\",\"content\":\"ok\"}]");
        var call = new ToolCall("call_0", "bash", "{\"command\":\"ls\"}");
        assertThat(Json.MAPPER.writeValueAsString(Message.assistant("", List.of(call))))
                .isEqualTo("{\"role\":\"assistant\",\"content\":\"\",\"toolCalls\":[{\"id\":\"call_0\",\"name\":\"bash\","
                        + "\"arguments\":\"{\\\"command\\\":\\\"ls\\\"}\"}]}");
        assertThat(Json.MAPPER.writeValueAsString(Message.toolResult(call, "a")))
                .isEqualTo("{\"role\":\"tool\",\"content\":\"a\",\"callId\":\"call_0\",\"name\":\"bash\",\"stderr\":\"\",\"error\":false}");
    }

    @Test
    void rolesAndFactories() {
        assertThat(List.of(Message.system("a"), Message.user("b"), Message.assistant("c"),
                Message.toolResult(new ToolCall("i", "bash", "{}"), "d"))).extracting(Message::role)
                .containsExactly("system", "user", "assistant", "tool");
        assertThat(Message.of("user", "x")).isEqualTo(Message.user("x"));
        assertThat(new Message.ToolResult("i", "bash", "out", "err", true).text()).isEqualTo("out\nerr");
        assertThat(new Message.ToolResult("i", "bash", "", "err", true).text()).isEqualTo("err");
        assertThat(new Message.ToolResult("i", "bash", "out\n", "", false).text()).isEqualTo("out\n");
    }
}
