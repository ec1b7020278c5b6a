package dev.assay.cli.report;

import dev.assay.AssayException;
import dev.assay.run.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "report", sortOptions = false,
        description = {"Write one self-contained HTML report (tables with 95%% CIs, plots) over one or more runs.",
                "Several runs are drawn side by side; runs from a sweep (assay run --sweep) are also plotted against model size and RLHF steps."},
        footer = {"", "Examples:",
                "  assay report 20261122-101500-3f2a",
                "  assay report RUN_A RUN_B RUN_C -o sweep.html",
                "  assay report assay-runs/20261122-101500-3f2a --out assay-runs"})
public final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN", arity = "1..*", description = "Run ids in the store (--out), or run folders.")
    List<String> runs;

    @Option(names = {"-o", "--html"}, paramLabel = "FILE", defaultValue = "report.html",
            description = "The HTML file to write (default: ${DEFAULT-VALUE}).")
    Path html;

    @CommandLine.Mixin
    dev.assay.cli.StoreOption store;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Hand labels for a sample of a generated set (JSONL: id or statement/question, label): agreement with people, with CIs.")
    Path labels;

    @Override
    public Integer call() {
        dev.assay.store.Store st = store.open();
        List<RunData> data = runs.stream().map(r -> RunData.load(st, r)).toList();
        String page = labels == null ? HtmlReport.build(data)
                : ScopedValue.where(GenerationQuality.LABELS, labels).call(() -> HtmlReport.build(data));
        try {
            Path parent = html.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(html, page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssayException("cannot write the report to " + html + " (-o): " + e.getMessage(), e);
        }
        spec.commandLine().getOut().println("report of " + data.size() + " run(s) → " + html.toAbsolutePath());
        return 0;
    }
}
