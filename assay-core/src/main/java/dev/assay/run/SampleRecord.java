package dev.assay.run;

import dev.assay.event.Event;
import dev.assay.event.ModelCall;
import dev.assay.suite.Transcript;

import java.util.List;
import java.util.Map;

/**
 * One line of a run's samples.jsonl (docs/log-schema.json): a sample in one epoch, the item's target
 * and metadata, its events (model calls, tool calls and results, sandbox snapshots, notes), the store
 * its solver left ({@code output}), its scores, or its error. The log is the source of truth: results,
 * reports, comparisons and re-scoring are all computed from it.
 */
public record SampleRecord(String suite, String id, int epoch, long seed, String method, String target,
                           Map<String, Object> metadata, List<Event> events, Map<String, Object> output,
                           Map<String, Double> scores, String error, long millis) {

    public SampleRecord {
        metadata = metadata == null ? Map.of() : metadata;
        events = events == null ? List.of() : List.copyOf(events);
        output = output == null ? Map.of() : output;
        scores = scores == null ? Map.of() : scores;
    }

    public boolean ok() {
        return error == null;
    }

    public String key() {
        return key(suite, id, epoch);
    }

    public static String key(String suite, String id, int epoch) {
        return suite + "\u0000" + id + "\u0000" + epoch;
    }

    public Transcript transcript() {
        return Transcript.of(method, events, output);
    }

    /** The model calls among the events, in order. */
    public List<ModelCall> modelCalls() {
        return events.stream().filter(e -> e instanceof ModelCall).map(e -> (ModelCall) e).toList();
    }
}
