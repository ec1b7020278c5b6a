package dev.assay.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One thing that happened while a sample was solved or scored, in order: the transcript of a sample is
 * a list of these (docs/log-schema.json). Each is written to the run log with a {@code "type"} field.
 * Model calls are appended by the runner's recording wrapper from the request really sent and the
 * response really received; tool calls, tool results and sandbox snapshots by the agent loop and the
 * sandbox; notes by any step that wants to leave a remark for people reading the log.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ModelCall.class, name = ModelCall.TYPE),
        @JsonSubTypes.Type(value = ToolCall.class, name = ToolCall.TYPE),
        @JsonSubTypes.Type(value = ToolResult.class, name = ToolResult.TYPE),
        @JsonSubTypes.Type(value = SandboxSnapshot.class, name = SandboxSnapshot.TYPE),
        @JsonSubTypes.Type(value = Note.class, name = Note.TYPE)})
public sealed interface Event permits ModelCall, ToolCall, ToolResult, SandboxSnapshot, Note {
    /** The version of the run-log schema these events belong to (docs/log-schema.json). */
    int LOG_SCHEMA = 2;

    /** The solver or scorer step it belongs to ("" where none). */
    String step();
}
