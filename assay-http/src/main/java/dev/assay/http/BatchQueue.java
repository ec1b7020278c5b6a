package dev.assay.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.AssayException;
import dev.assay.cache.CacheKey;
import dev.assay.model.ModelCallException;
import dev.assay.model.ModelOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gathers the requests of many concurrent callers into provider batch jobs (OpenAI Batch, Anthropic
 * Message Batches), polls the jobs, and hands each caller its own answer as if it had streamed.
 * A caller blocks on its future; one virtual thread flushes the queue (after {@code batch_window_ms},
 * or at {@code batch_max} requests) and polls (every {@code batch_poll_ms}).
 * <p>
 * Each request is named by the SHA-256 of its canonical JSON (its {@code custom_id}). Every job
 * submitted is appended to {@value #STATE_FILE} in the work dir with the ids it carries; a process
 * that reopens the same work dir polls those jobs again and waits on them instead of resubmitting.
 */
final class BatchQueue implements AutoCloseable {
    static final String STATE_FILE = "batches.jsonl";

    /** The provider's side: submit a job of same-path requests, and poll one. */
    interface Jobs {
        String submit(String path, List<Item> items);

        /** Null while the job runs; when it has ended, the outcome of each id it has one for. */
        Ended poll(String jobId);
    }

    /** A job that has ended with {@code status}, and the outcomes it gave. */
    record Ended(Map<String, Outcome> results, String status) {
    }

    record Item(String customId, JsonNode body) {
    }

    sealed interface Outcome {
        record Answer(JsonNode body) implements Outcome {
        }

        record Failure(String reason) implements Outcome {
        }
    }

    private final String spec;
    private final Jobs jobs;
    private final Path stateFile;
    private final long windowMs;
    private final int maxItems;
    private final long pollMs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, CompletableFuture<Outcome>> waiting = new HashMap<>();
    private final Map<String, Outcome> unclaimed = new HashMap<>();
    private final Map<String, String> jobOf = new HashMap<>();
    private final Map<String, List<String>> pendingJobs = new LinkedHashMap<>();
    private final Map<String, List<Item>> queued = new LinkedHashMap<>(); // by path
    private long oldestQueuedMs;
    private volatile boolean open = true;
    private final Thread loop;
    private volatile int jobsSubmitted;

    BatchQueue(String spec, Jobs jobs, ModelOptions options) {
        this.spec = spec;
        this.jobs = jobs;
        this.windowMs = number(options, "batch_window_ms", "2000");
        this.maxItems = (int) Math.max(1, number(options, "batch_max", "10000"));
        this.pollMs = number(options, "batch_poll_ms", "15000");
        this.stateFile = options.workDir() == null ? null : options.workDir().resolve(STATE_FILE);
        if (stateFile != null) reopen();
        this.loop = Thread.ofVirtual().name("batch-" + spec).start(this::run);
    }

    private static long number(ModelOptions o, String key, String fallback) {
        String v = o.extra(key, fallback);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new AssayException("--model-option " + key + "=" + v + ": expected a whole number");
        }
    }

    private void reopen() {
        if (!Files.exists(stateFile)) return;
        try {
            int lineNo = 0;
            for (String line : Files.readAllLines(stateFile, StandardCharsets.UTF_8)) {
                lineNo++;
                if (line.isBlank()) continue;
                JsonNode node;
                try {
                    node = Json.parse(line);
                } catch (Json.MalformedBody e) {
                    // A line cut short by a crash mid-write: that job is submitted again when asked for.
                    continue;
                }
                String job = node.path("job").asText();
                var ids = new ArrayList<String>();
                node.path("ids").forEach(id -> ids.add(id.asText()));
                if (job.isEmpty()) throw new AssayException(stateFile + ":" + lineNo + ": no job id; delete the line to resubmit");
                pendingJobs.put(job, ids);
                ids.forEach(id -> jobOf.put(id, job));
            }
        } catch (IOException e) {
            throw new AssayException(stateFile + ": cannot read pending batch jobs (" + e.getMessage() + ")", e);
        }
    }

    int jobsSubmitted() {
        return jobsSubmitted;
    }

    int jobsPending() {
        lock.lock();
        try {
            return pendingJobs.size();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until the job carrying this request has ended; returns the provider's answer body. */
    JsonNode submit(String path, JsonNode body) {
        String id = CacheKey.sha256(path + "\n" + CacheKey.canonicalJson(body));
        CompletableFuture<Outcome> future;
        lock.lock();
        try {
            Outcome done = unclaimed.remove(id);
            if (done != null) return unwrap(done);
            future = waiting.get(id);
            if (future == null) {
                future = new CompletableFuture<>();
                waiting.put(id, future);
                if (!jobOf.containsKey(id)) {
                    if (queued.isEmpty()) oldestQueuedMs = System.currentTimeMillis();
                    queued.computeIfAbsent(path, p -> new ArrayList<>()).add(new Item(id, body));
                }
            }
        } finally {
            lock.unlock();
        }
        try {
            return unwrap(future.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelCallException(spec + ": interrupted while waiting for a batch job");
        } catch (ExecutionException e) {
            throw new ModelCallException(spec + ": batch failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private JsonNode unwrap(Outcome o) {
        return switch (o) {
            case Outcome.Answer a -> a.body();
            case Outcome.Failure f -> throw new ModelCallException(spec + ": batch request failed: " + f.reason());
        };
    }

    private void run() {
        long nextPoll = 0;
        while (open) {
            try {
                Thread.sleep(Math.min(50, Math.max(1, Math.min(windowMs, pollMs))));
            } catch (InterruptedException e) {
                return;
            }
            flushIfDue(false);
            long now = System.currentTimeMillis();
            if (now >= nextPoll) {
                pollAll();
                nextPoll = System.currentTimeMillis() + pollMs;
            }
        }
    }

    private void flushIfDue(boolean force) {
        Map<String, List<Item>> toSend = new LinkedHashMap<>();
        lock.lock();
        try {
            int size = queued.values().stream().mapToInt(List::size).sum();
            if (size == 0) return;
            if (!force && size < maxItems && System.currentTimeMillis() - oldestQueuedMs < windowMs) return;
            for (var e : queued.entrySet()) {
                var items = e.getValue();
                for (int from = 0; from < items.size(); from += maxItems) {
                    toSend.computeIfAbsent(e.getKey() + "#" + from, k -> new ArrayList<>())
                            .addAll(items.subList(from, Math.min(items.size(), from + maxItems)));
                }
            }
            queued.clear();
        } finally {
            lock.unlock();
        }
        for (var e : toSend.entrySet()) {
            String path = e.getKey().substring(0, e.getKey().lastIndexOf('#'));
            List<Item> items = e.getValue();
            List<String> ids = items.stream().map(Item::customId).toList();
            try {
                String job = jobs.submit(path, items);
                jobsSubmitted++;
                persist(job, ids);
                lock.lock();
                try {
                    pendingJobs.put(job, ids);
                    ids.forEach(id -> jobOf.put(id, job));
                } finally {
                    lock.unlock();
                }
            } catch (RuntimeException ex) {
                deliver(ids.stream().collect(java.util.stream.Collectors.toMap(id -> id,
                        id -> (Outcome) new Outcome.Failure("could not submit the batch job: " + ex.getMessage()),
                        (a, b) -> a)), ids, null, "not submitted");
            }
        }
    }

    private void persist(String job, List<String> ids) {
        if (stateFile == null) return;
        var node = Json.object().put("job", job).put("submittedMs", System.currentTimeMillis());
        var arr = node.putArray("ids");
        ids.forEach(arr::add);
        try {
            Files.createDirectories(stateFile.getParent());
            try (var ch = java.nio.channels.FileChannel.open(stateFile, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ch.write(java.nio.ByteBuffer.wrap((Json.write(node) + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(false); // the job id must survive a crash, or the work is paid for twice
            }
        } catch (IOException e) {
            throw new AssayException(stateFile + ": cannot record batch job " + job + " (" + e.getMessage() + ")", e);
        }
    }

    private void pollAll() {
        List<Map.Entry<String, List<String>>> snapshot;
        lock.lock();
        try {
            snapshot = new ArrayList<>(pendingJobs.entrySet());
        } finally {
            lock.unlock();
        }
        for (var job : snapshot) {
            Ended results;
            try {
                results = jobs.poll(job.getKey());
            } catch (ModelCallException e) {
                continue; // the endpoint is unwell right now; poll again next round
            } catch (dev.assay.model.ModelUnavailableException e) {
                // It will not get better (the breaker is open): the job's callers fail instead of waiting forever.
                deliver(Map.of(), job.getValue(), job.getKey(), "not pollable: " + e.getMessage());
                continue;
            }
            if (results != null) deliver(results.results(), job.getValue(), job.getKey(), results.status());
        }
    }

    private void deliver(Map<String, Outcome> results, List<String> ids, String job, String status) {
        lock.lock();
        try {
            if (job != null) pendingJobs.remove(job);
            for (String id : ids) {
                Outcome o = results.getOrDefault(id, new Outcome.Failure("missing from the output of batch job "
                        + job + " (ended " + status + ")"));
                jobOf.remove(id);
                var f = waiting.remove(id);
                if (f != null) f.complete(o);
                else unclaimed.put(id, o);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        open = false;
        loop.interrupt();
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            for (var f : waiting.values()) {
                f.complete(new Outcome.Failure("the model was closed while the batch job was pending; "
                        + "reopen the same work dir to collect it"));
            }
            waiting.clear();
        } finally {
            lock.unlock();
        }
    }
}
