package dev.assay.event;

import java.util.Map;

/** A remark a step leaves in the transcript for people reading it (why a loop stopped, a parse that failed). */
public record Note(String step, String text, Map<String, Object> data) implements Event {
    public static final String TYPE = "note";

    public Note {
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }
}
