package dev.assay.bench;

import dev.assay.AssayException;
import dev.assay.cli.Benchmark;
import dev.assay.cli.view.SyntheticRun;
import dev.assay.cli.view.Viewer;
import dev.assay.run.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

@Command(name = "view", description = {"Benchmark the viewer on a synthetic run: time to the first samples page (cold, including",
        "the offset index build) and warm, a far page, and heap before/after. Target: first page < 1 s, flat heap."})
public final class BenchViewCommand implements Benchmark {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--samples", defaultValue = "100000", description = "Samples in the synthetic run (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--page", defaultValue = "5000", description = "The far page to time (default: ${DEFAULT-VALUE}, the last at 20 a page).")
    int farPage;

    @Override
    public Integer call() throws Exception {
        if (samples < Viewer.PAGE) throw new AssayException("--samples " + samples + ": need at least " + Viewer.PAGE);
        long pages = (samples + Viewer.PAGE - 1) / Viewer.PAGE;
        if (farPage < 1 || farPage > pages) throw new AssayException("--page " + farPage + ": must be 1–" + pages + " for " + samples + " samples");
        PrintWriter out = spec.commandLine().getOut();
        Path root = Files.createTempDirectory("assay-bench-view");
        try {
            RunStore store = new RunStore(root);
            long t0 = System.nanoTime();
            String id = SyntheticRun.write(store, samples);
            long logBytes = Files.size(root.resolve(id).resolve(RunStore.SAMPLES));
            out.printf(Locale.ROOT, "synthetic run: %d samples, %.1f MB log, written in %.1f s%n", samples, logBytes / 1e6, (System.nanoTime() - t0) / 1e9);
            double heapBefore = heapMb();
            double hello, first, warm, far, farWarm, one, build;
            double heapAfter;
            try (Viewer viewer = Viewer.start(store, 0); HttpClient http = HttpClient.newHttpClient()) {
                URI base = viewer.uri();
                // The client and server's own start-up (class loading, first connection) are not the viewer's page
                // cost: a browser is already running. They are timed on a page that touches no run.
                hello = timeStatus(http, base.resolve("/no-such-page"), 404);
                first = time(http, base.resolve("/runs/" + id + "/samples?page=1"), "records 1–" + Viewer.PAGE + " of " + samples);
                warm = median(http, base.resolve("/runs/" + id + "/samples?page=1"), "records 1–");
                String farFrom = "records " + ((long) (farPage - 1) * Viewer.PAGE + 1) + "–";
                far = time(http, base.resolve("/runs/" + id + "/samples?page=" + farPage), farFrom);
                farWarm = median(http, base.resolve("/runs/" + id + "/samples?page=" + farPage), farFrom);
                one = median(http, base.resolve("/runs/" + id + "/samples/" + samples), "item-" + samples);
                heapAfter = heapMb();
            }
            Path log = root.resolve(id).resolve(RunStore.SAMPLES);
            long tb = System.nanoTime();
            Viewer.reindex(log);
            build = (System.nanoTime() - tb) / 1e6;
            out.println();
            out.printf(Locale.ROOT, "%-44s %10s%n", "measure", "value");
            row(out, "server + client start-up (a 404 page)", hello, "ms");
            row(out, "first samples page, cold (incl. index build)", first, "ms");
            row(out, "first samples page, warm (median of 7)", warm, "ms");
            row(out, "page " + farPage + ", first request", far, "ms");
            row(out, "page " + farPage + ", warm (median of 7)", farWarm, "ms");
            row(out, "one record (the last), warm (median of 7)", one, "ms");
            row(out, "index build alone, warm JIT", build, "ms");
            row(out, "heap used after GC, before the viewer", heapBefore, "MB");
            row(out, "heap used after GC, after all requests", heapAfter, "MB");
            out.printf(Locale.ROOT, "%ntarget: first page < 1000 ms (%s), heap growth < 16 MB (%s)%n",
                    first < 1000 ? "met" : "MISSED", heapAfter - heapBefore < 16 ? "met" : "MISSED");
            out.printf(Locale.ROOT, "first_page_ms=%.1f%n", first);
            out.printf(Locale.ROOT, "heap_mb=%.1f%n", heapAfter);
            return 0;
        } finally {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double time(HttpClient http, URI uri, String expect) throws IOException, InterruptedException {
        long t = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t) / 1e6;
        if (r.statusCode() != 200 || !r.body().contains(expect)) {
            throw new IllegalStateException(uri + " answered " + r.statusCode() + " without '" + expect + "'");
        }
        return ms;
    }

    private static double timeStatus(HttpClient http, URI uri, int status) throws IOException, InterruptedException {
        long t = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != status) throw new IllegalStateException(uri + " answered " + r.statusCode() + ", expected " + status);
        return (System.nanoTime() - t) / 1e6;
    }

    private static double median(HttpClient http, URI uri, String expect) throws IOException, InterruptedException {
        double[] t = new double[7];
        for (int i = 0; i < t.length; i++) t[i] = time(http, uri, expect);
        Arrays.sort(t);
        return t[t.length / 2];
    }

    private static double heapMb() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
    }

    private static void row(PrintWriter out, String what, double v, String unit) {
        out.printf(Locale.ROOT, "%-44s %8.1f %s%n", what, v, unit);
    }
}
