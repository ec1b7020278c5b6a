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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    ResponseCache open() {
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
