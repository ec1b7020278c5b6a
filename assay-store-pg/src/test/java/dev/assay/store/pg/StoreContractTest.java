package dev.assay.store.pg;

import dev.assay.AssayException;
import dev.assay.cache.CacheKey;
import dev.assay.run.Json;
import dev.assay.run.Results;
import dev.assay.run.RunHeader;
import dev.assay.run.RunIndex;
import dev.assay.run.RunSpec;
import dev.assay.run.SampleRecord;
import dev.assay.store.RecordSink;
import dev.assay.store.Store;
import dev.assay.store.StoreCopy;
import dev.assay.store.StoredRun;
import dev.assay.store.WriterLock;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@link Store} door's contract, on a folder and on a real PostgreSQL database alike. */
class StoreContractTest {
    @TempDir
    Path tmp;

    static RunHeader header(String id) {
        RunSpec spec = new RunSpec(List.of("file:items.jsonl"), "synthetic/x", Map.of(), 0, 1, 7, null, 4, List.of(), Map.of());
        return new RunHeader(id, RunHeader.now(), spec, Map.of("assay", "test"), Map.of(), List.of(new RunHeader.SuiteInfo("file:items.jsonl", 3, Map.of("items.jsonl", "abc"))));
    }

    static SampleRecord record(String id, int epoch, double score, String error) {
        return new SampleRecord("file:items.jsonl", id, epoch, 42L, "generate", "B", Map.of("group", "g" + id.length()), List.of(),
                Map.of(), error == null ? Map.of("correct", score) : Map.of(), error, 5);
    }

    @ParameterizedTest
    @EnumSource(Backends.class)
    void createsListsAndReadsRuns(Backends backend) throws Exception {
        try (Store store = backend.open(tmp)) {
            StoredRun run = store.create();
            assertThat(store.contains(run.id())).as("no header yet").isFalse();
            RunHeader h = header(run.id());
            run.writeHeader(h);
            store.index(new RunIndex.Entry(run.id(), h.created(), "running", "synthetic/x", "file:items.jsonl", 3, 0, 0, run.where(), ""));
            assertThat(store.contains(run.id())).isTrue();
            assertThat(store.runs()).extracting(RunIndex.Entry::id).containsExactly(run.id());
            assertThat(store.entry(run.id()).orElseThrow().status()).isEqualTo("running");
            StoredRun found = store.find(run.id());
            assertThat(Json.MAPPER.writeValueAsString(found.header())).isEqualTo(Json.MAPPER.writeValueAsString(h));
            assertThat(found.hasResults()).isFalse();
            assertThatThrownBy(found::results).isInstanceOf(AssayException.class).hasMessageContaining("no results yet");
            Results r = new Results(run.id(), "synthetic/x", List.of(), List.of());
            found.writeResults(r);
            assertThat(found.hasResults()).isTrue();
            assertThat(Json.RESULTS.writeValueAsString(found.results())).isEqualTo(Json.RESULTS.writeValueAsString(r));
            found.writeDocument("rescored-from.json", Map.of("run", "x"));
            assertThat(Json.MAPPER.readTree(found.document("rescored-from.json").orElseThrow()).get("run").asText()).isEqualTo("x");
            assertThatThrownBy(() -> store.find("20000101-000000-dead")).isInstanceOf(AssayException.class)
                    .satisfies(e -> assertThat(((AssayException) e).exitCode()).isEqualTo(2))
                    .hasMessageContaining("no run '20000101-000000-dead'").hasMessageContaining("list runs");
            assertThatThrownBy(() -> store.create(run.id())).isInstanceOf(AssayException.class).hasMessageContaining("already");
        }
    }

    @ParameterizedTest
    @EnumSource(Backends.class)
    void recordsKeepTheFirstFinishedAndReplaceErrors(Backends backend) throws Exception {
        try (Store store = backend.open(tmp)) {
            StoredRun run = store.create();
            run.writeHeader(header(run.id()));
            try (RecordSink sink = run.appender()) {
                sink.append(record("a", 1, 1.0, null));
                sink.append(record("b", 1, 0.0, "ModelCallException: boom"));
                sink.append(record("c", 1, 0.0, null));
            }
            // A resume: b's retry replaces its error; a second record of finished a is never kept.
            try (RecordSink sink = run.appender()) {
                sink.append(record("b", 1, 1.0, null));
                sink.append(record("a", 1, 0.0, null));
            }
            Map<String, SampleRecord> all = run.records();
            assertThat(all.values()).extracting(SampleRecord::id).containsExactly("a", "c", "b");
            assertThat(all.get(SampleRecord.key("file:items.jsonl", "a", 1)).scores()).containsEntry("correct", 1.0);
            assertThat(all.get(SampleRecord.key("file:items.jsonl", "b", 1)).ok()).isTrue();
            assertThat(run.summaries().keySet()).isEqualTo(all.keySet());
        }
    }

    @ParameterizedTest
    @EnumSource(Backends.class)
    void concurrentAppendsAreAllKept(Backends backend) throws Exception {
        try (Store store = backend.open(tmp)) {
            StoredRun run = store.create();
            run.writeHeader(header(run.id()));
            try (RecordSink sink = run.appender(); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 500; i++) {
                    int n = i;
                    pool.submit(() -> sink.append(record("s" + n, 1, n % 2, null)));
                }
            }
            Map<String, SampleRecord> all = run.records();
            assertThat(all).hasSize(500);
            assertThat(all.values().stream().mapToDouble(r -> r.scores().get("correct")).sum()).isEqualTo(250.0);
        }
    }

    @ParameterizedTest
    @EnumSource(Backends.class)
    void oneWriterAtATime(Backends backend) throws Exception {
        try (Store store = backend.open(tmp)) {
            StoredRun run = store.create();
            run.writeHeader(header(run.id()));
            assertThat(run.writer()).isEmpty();
            try (WriterLock lock = run.lock()) {
                assertThat(run.writer()).hasValueSatisfying(w -> assertThat(w).startsWith(String.valueOf(ProcessHandle.current().pid())));
                assertThatThrownBy(run::lock).isInstanceOf(AssayException.class)
                        .satisfies(e -> assertThat(((AssayException) e).exitCode()).isEqualTo(2))
                        .hasMessageContaining("in use by process " + ProcessHandle.current().pid());
            }
            assertThat(run.writer()).isEmpty();
            try (WriterLock again = run.lock()) {
                assertThat(again).isNotNull();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backends.class)
    void responseCache(Backends backend) throws Exception {
        try (Store store = backend.open(tmp)) {
            var cache = store.cache();
            CacheKey k1 = CacheKey.of("openai", "", "m1", Json.MAPPER.valueToTree(Map.of("prompt", "hi")), 1);
            CacheKey k2 = CacheKey.of("openai", "", "m2", Json.MAPPER.valueToTree(Map.of("prompt", "ho")), 1);
            assertThat(cache.get(k1)).isEmpty();
            cache.put(k1, "openai/m1", "generate", "{\"text\":\"a\"}");
            cache.put(k2, "openai/m2", "score", "{\"x\":1}");
            cache.put(k1, "openai/m1", "generate", "{\"text\":\"b\"}");
            assertThat(cache.get(k1)).contains("{\"text\":\"b\"}");
            assertThat(cache.size()).isEqualTo(2);
            assertThat(cache.list()).extracting(e -> e.model() + " " + e.op() + " " + e.count())
                    .containsExactly("openai/m1 generate 1", "openai/m2 score 1");
            assertThat(cache.prune(Instant.now().plusSeconds(60), "openai/m2")).isEqualTo(1);
            assertThat(cache.clear()).isEqualTo(1);
            assertThat(cache.size()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Backends.class)
    void copiesToTheOtherBackendAndBack(Backends backend) throws Exception {
        Backends other = backend == Backends.FOLDER ? Backends.POSTGRESQL : Backends.FOLDER;
        try (Store a = backend.open(tmp); Store b = other.open(tmp); Store c = backend.open(tmp)) {
            StoredRun run = a.create();
            RunHeader h = header(run.id());
            run.writeHeader(h);
            try (RecordSink sink = run.appender()) {
                for (int i = 0; i < 50; i++) sink.append(record("s" + i, 1, i % 3 == 0 ? 1 : 0, i == 7 ? "ModelCallException: x" : null));
            }
            run.writeResults(new Results(run.id(), "synthetic/x", List.of(), List.of()));
            a.index(new RunIndex.Entry(run.id(), h.created(), "complete-with-errors", "synthetic/x", "file:items.jsonl", 50, 49, 1, run.where(), "s"));

            List<StoreCopy.Copied> there = StoreCopy.copy(a, b, List.of());
            assertThat(there).extracting(StoreCopy.Copied::records).containsExactly(50L);
            assertThat(StoreCopy.copy(a, b, List.of())).allMatch(StoreCopy.Copied::skipped);
            StoreCopy.copy(b, c, List.of(run.id()));
            for (Store s : List.of(b, c)) {
                StoredRun copy = s.find(run.id());
                assertThat(lines(copy)).isEqualTo(lines(run));
                assertThat(copy.document("header.json")).isEqualTo(run.document("header.json"));
                assertThat(copy.document("results.json")).isEqualTo(run.document("results.json"));
                RunIndex.Entry e = s.entry(run.id()).orElseThrow();
                assertThat(List.of(e.status(), e.done(), e.errors(), e.summary())).containsExactly("complete-with-errors", 49, 1, "s");
            }
        }
    }

    private static List<String> lines(StoredRun run) {
        List<String> out = new ArrayList<>();
        run.eachRecordJson(out::add);
        return out;
    }
}
