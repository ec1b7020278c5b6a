package dev.assay.agent;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why an episode ended. {@link #wire()} is how logs and notes spell it. */
public enum AgentStop {
    /** The model answered without calling a tool: it is done. */
    NO_TOOL_CALLS("no tool calls"),
    /** {@link AgentLimits#turns()} model calls were made. */
    TURNS("turns"),
    /** {@link AgentLimits#tokens()} were used. */
    TOKENS("tokens"),
    /** {@link AgentLimits#wallTime()} passed (a command running at that moment was killed). */
    WALL_TIME("wall time"),
    /** {@link AgentLimits#outputBytes()} of tool output were shown to the model. */
    OUTPUT_BYTES("output bytes"),
    /** The sandbox ended (it stopped answering) and cannot run more commands. */
    SANDBOX_ENDED("sandbox ended");

    private final String wire;

    AgentStop(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
