package dev.assay.run;

import java.util.List;
import java.util.Map;

/**
 * header.json of a run: written once at the start, read on resume, report and re-score.
 *
 * @param data     per suite, the files read and their SHA-256
 * @param versions assay and Java versions
 * @param created   when the run started, UTC to the second ("2026-12-01T16:01:04Z")
 * @param logSchema the version of samples.jsonl's schema (docs/log-schema.json); 0 in runs from before versions were kept
 * @param data      the local data folder the run read (--data or ASSAY_DATA, absolute), or null for the download
 *                  cache: --resume reads the same files, so an offline run resumes offline
 */
public record RunHeader(String id, String created, RunSpec spec, Map<String, String> versions,
                        Map<String, Object> capabilities, List<SuiteInfo> suites, int logSchema,
                        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String data) {

    public RunHeader(String id, String created, RunSpec spec, Map<String, String> versions,
                     Map<String, Object> capabilities, List<SuiteInfo> suites, int logSchema) {
        this(id, created, spec, versions, capabilities, suites, logSchema, null);
    }

    /** This header with the data folder it read. */
    public RunHeader withData(String folder) {
        return new RunHeader(id, created, spec, versions, capabilities, suites, logSchema, folder);
    }

    /** Now, as {@link #created} records it: UTC, whole seconds (no nanoseconds). */
    public static String now() {
        return java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** A header of the current log schema ({@link dev.assay.event.Event#LOG_SCHEMA}). */
    public RunHeader(String id, String created, RunSpec spec, Map<String, String> versions,
                     Map<String, Object> capabilities, List<SuiteInfo> suites) {
        this(id, created, spec, versions, capabilities, suites, dev.assay.event.Event.LOG_SCHEMA);
    }

    /**
     * A suite as it was run: how many samples (items × conditions), which data files (path → sha256), and the
     * conditions every item ran under (none: the items as they are).
     */
    public record SuiteInfo(String name, int samples, Map<String, String> data,
                            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY) List<dev.assay.suite.Condition> conditions) {
        public SuiteInfo {
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
        }

        public SuiteInfo(String name, int samples, Map<String, String> data) {
            this(name, samples, data, List.of());
        }
    }
}
