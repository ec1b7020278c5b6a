package dev.assay.suite;

import dev.assay.event.Event;
import dev.assay.event.ModelCall;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened to one sample: its events in order (model calls recorded by the runner at the model
 * boundary, tool calls and results, sandbox snapshots, notes), the answering method used ("loglik" or
 * "generative"), and the store of values the solver's steps left for scorers ({@link Key}s). It is what
 * the run log stores, so a run can be re-scored without the evaluated model.
 */
public final class Transcript {
    private final List<Event> events = new ArrayList<>();
    private final Map<String, Object> output = new LinkedHashMap<>();
    private String method = "";

    public Transcript method(String m) {
        this.method = m;
        return this;
    }

    public String method() {
        return method;
    }

    /** Appended by the runner's recording wrapper, the agent loop and the sandbox; may come from another thread. */
    public synchronized void add(Event event) {
        events.add(event);
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    public List<ModelCall> modelCalls() {
        return events().stream().filter(e -> e instanceof ModelCall).map(e -> (ModelCall) e).toList();
    }

    public <T> Transcript set(Key<T> key, T value) {
        output.put(key.name(), value);
        return this;
    }

    /** The value under {@code key}, or null when no step set it. */
    public <T> T get(Key<T> key) {
        return key.read(output.get(key.name()));
    }

    public boolean has(Key<?> key) {
        return output.containsKey(key.name());
    }

    public Map<String, Object> output() {
        return Collections.unmodifiableMap(output);
    }

    /** Rebuilds a transcript read back from a run log. */
    public static Transcript of(String method, List<Event> events, Map<String, Object> output) {
        Transcript t = new Transcript().method(method);
        if (events != null) t.events.addAll(events);
        if (output != null) t.output.putAll(output);
        return t;
    }
}
