package dev.assay.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.event.Event;
import dev.assay.event.ModelCall;
import dev.assay.event.Note;
import dev.assay.event.SandboxSnapshot;
import dev.assay.event.ToolCall;
import dev.assay.event.ToolResult;
import dev.assay.sandbox.FileChange;
import dev.assay.sandbox.Snapshot;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/log-schema.json documents every field the log writes: each record's components against the schema's
 * properties, in both directions (a field added to a record and not to the schema, or a schema field no
 * record has, fails here), and the schema's version is the one the runner writes.
 */
class LogSchemaTest {
    static final JsonNode SCHEMA;

    static {
        try {
            SCHEMA = Json.MAPPER.readTree(Path.of("..", "docs", "log-schema.json").toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Set<String> components(Class<?> record) {
        return new TreeSet<>(Arrays.stream(record.getRecordComponents()).map(java.lang.reflect.RecordComponent::getName).toList());
    }

    static Set<String> properties(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.get("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theSchemaIsVersionedAsTheRunnerWritesIt() {
        assertThat(SCHEMA.get("$id").asText()).endsWith("/" + Event.LOG_SCHEMA);
        assertThat(SCHEMA.get("title").asText()).contains("schema version " + Event.LOG_SCHEMA);
    }

    @Test
    void everyRecordFieldIsDocumentedAndNothingElse() {
        assertThat(properties(SCHEMA)).isEqualTo(components(SampleRecord.class));
        JsonNode defs = SCHEMA.get("$defs");
        record Pair(String def, Class<?> type) {
        }
        for (Pair p : new Pair[]{new Pair("model_call", ModelCall.class), new Pair("tool_call", ToolCall.class),
                new Pair("tool_result", ToolResult.class), new Pair("sandbox_snapshot", SandboxSnapshot.class), new Pair("note", Note.class)}) {
            Set<String> expected = new TreeSet<>(components(p.type()));
            expected.add("type"); // the event's tag
            assertThat(properties(defs.get(p.def()))).as(p.def()).isEqualTo(expected);
        }
        JsonNode snapshot = defs.get("sandbox_snapshot").get("properties").get("snapshot");
        assertThat(properties(snapshot)).isEqualTo(components(Snapshot.class));
        assertThat(properties(snapshot.get("properties").get("changes").get("items"))).isEqualTo(components(FileChange.class));
    }
}
