package dev.assay.http.cli;

import dev.assay.AssayException;
import dev.assay.cache.ResponseCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code assay cache list|prune|clear}: the model-response cache of a run store. */
@Command(name = "cache", description = "Manage the model-response cache of the run store.",
        subcommands = {CacheCommand.ListCache.class, CacheCommand.Prune.class, CacheCommand.Clear.class},
        mixinStandardHelpOptions = true)
public final class CacheCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "assay-runs", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Run store folder holding " + ResponseCache.FILE_NAME + " (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--store", paramLabel = "URL|DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The run store whose cache to manage: a folder or postgresql://… (also ASSAY_STORE; password from PGPASSWORD or ~/.pgpass).")
    String store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    ResponseCache open() {
        boolean outGiven = spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption("--out");
        if (store != null && !store.isBlank() && !outGiven && dev.assay.store.StoreUrl.isPostgres(store)) {
            dev.assay.store.Store s = dev.assay.store.Stores.open("--store", store);
            ResponseCache c = s.cache();
            return new ResponseCache() { // closing the cache closes the store it came from
                public String location() { return c.location(); }
                public java.util.Optional<String> get(dev.assay.cache.CacheKey k) { return c.get(k); }
                public void put(dev.assay.cache.CacheKey k, String m, String o, String v) { c.put(k, m, o, v); }
                public java.util.List<Entry> list() { return c.list(); }
                public int prune(Instant before, String model) { return c.prune(before, model); }
                public int clear() { return c.clear(); }
                public long size() { return c.size(); }
                public void close() { s.close(); }
            };
        }
        Path out = store != null && !store.isBlank() && !outGiven ? Path.of(store) : this.out;
        if (!Files.exists(out.resolve(ResponseCache.FILE_NAME))) {
            throw new AssayException("--out " + out + ": no response cache there (" + ResponseCache.FILE_NAME
                    + "). Runs with HTTP models create it; give the run store folder with --out.");
        }
        return ResponseCache.open(out);
    }

    @Command(name = "list", description = "Cached answers per model and operation.")
    static final class ListCache implements Callable<Integer> {
        @ParentCommand
        CacheCommand parent;

        @Override
        public Integer call() {
            PrintWriter w = parent.spec.commandLine().getOut();
            try (var cache = parent.open()) {
                var entries = cache.list();
                w.printf(Locale.ROOT, "%-40s %-9s %9s %12s  %-20s  %-20s%n", "model", "op", "entries", "bytes", "oldest", "newest");
                long total = 0;
                for (var e : entries) {
                    w.printf(Locale.ROOT, "%-40s %-9s %9d %12d  %-20s  %-20s%n", e.model(), e.op(), e.count(), e.bytes(),
                            e.oldest().toString().substring(0, 19), e.newest().toString().substring(0, 19));
                    total += e.count();
                }
                w.printf(Locale.ROOT, "%d cached answers in %s%n", total, cache.location());
            }
            w.flush();
            return 0;
        }
    }

    @Command(name = "prune", description = "Delete cached answers older than --older-than (and only for --model if given).")
    static final class Prune implements Callable<Integer> {
        @ParentCommand
        CacheCommand parent;

        @Option(names = "--older-than", paramLabel = "AGE", required = true,
                description = "An age such as 7d, 12h, 30m or an ISO-8601 duration (P7D).")
        String olderThan;

        @Option(names = "--model", paramLabel = "SPEC", description = "Only this model's answers, e.g. openai/gpt-4o-mini.")
        String model;

        @Override
        public Integer call() {
            Duration age = parseAge(olderThan);
            try (var cache = parent.open()) {
                int n = cache.prune(Instant.now().minus(age), model);
                parent.spec.commandLine().getOut().printf(Locale.ROOT, "pruned %d cached answers%n", n);
            }
            parent.spec.commandLine().getOut().flush();
            return 0;
        }
    }

    static Duration parseAge(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) return Duration.parse(t.toUpperCase(Locale.ROOT));
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 'd' -> Duration.ofDays(n);
                case 'h' -> Duration.ofHours(n);
                case 'm' -> Duration.ofMinutes(n);
                case 's' -> Duration.ofSeconds(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new AssayException("--older-than " + text + ": expected an age such as 7d, 12h, 30m, 45s or P7D");
        }
    }

    @Command(name = "clear", description = "Delete every cached answer.")
    static final class Clear implements Callable<Integer> {
        @ParentCommand
        CacheCommand parent;

        @Override
        public Integer call() {
            try (var cache = parent.open()) {
                int n = cache.clear();
                parent.spec.commandLine().getOut().printf(Locale.ROOT, "cleared %d cached answers from %s%n", n, cache.location());
            }
            parent.spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
