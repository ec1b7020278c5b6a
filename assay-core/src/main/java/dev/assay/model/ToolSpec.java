package dev.assay.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tool offered to the model: its name (letters, digits, '_' and '-', as both wire formats require),
 * what it does, and its parameters as the text of a JSON-schema object.
 */
public record ToolSpec(String name, String description, String parameters) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public ToolSpec {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name '" + name + "': use 1-64 letters, digits, '_' or '-'");
        }
        description = description == null ? "" : description;
        ToolCall.parseObject(Objects.requireNonNull(parameters, "parameters"), "the parameters of tool " + name);
    }

    /** The shell tool of the agentic suites: one string argument, {@code command}. */
    public static ToolSpec bash() {
        return new ToolSpec("bash", "Run a command in a bash shell and return its stdout and stderr.",
                "{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\","
                        + "\"description\":\"the command line to run\"}},\"required\":[\"command\"]}");
    }
}
