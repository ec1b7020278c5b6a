package dev.assay.cli.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.assay.AssayException;
import dev.assay.cli.report.HtmlReport;
import dev.assay.cli.report.RunData;
import dev.assay.run.Json;
import dev.assay.run.Results;
import dev.assay.run.RunHeader;
import dev.assay.run.RunIndex;
import dev.assay.run.RunStore;
import dev.assay.run.SampleRecord;
import dev.assay.event.Event;
import dev.assay.event.ModelCall;
import dev.assay.event.Note;
import dev.assay.event.Origin;
import dev.assay.event.SandboxSnapshot;
import dev.assay.event.ToolCall;
import dev.assay.event.ToolResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.assay.cli.report.HtmlReport.esc;
import static dev.assay.cli.report.HtmlReport.num;

/**
 * The viewer's server-rendered pages. Metrics, plots and the paired comparison come from the report
 * package, so the viewer and {@code assay report} always draw the same thing.
 */
final class Pages {
    static final int PAGE = 20;
    static final int MAX_PAGE = 500;
    private static final int PREVIEW = 160;
    private static final String CSS = """
            body{max-width:1200px}
            nav.top{font-size:13px;margin-bottom:10px} nav.top a{margin-right:6px}
            .pager a,.pager span{margin-right:10px} .pager{margin:8px 0;font-size:13px}
            form.inline{display:inline-block;margin:6px 16px 6px 0;font-size:13px}
            pre{background:#f6f8fa;border:1px solid #d0d7de;padding:8px;white-space:pre-wrap;word-break:break-word;font-size:12px;max-height:480px;overflow:auto}
            td.preview{max-width:360px;font-size:12px;color:#333;word-break:break-word}
            .judge{border-left:4px solid #bf8700;padding-left:10px} .err{color:#cf222e}
            td.nowrap,#runs td:nth-child(-n+2),#samples td:nth-child(-n+5){white-space:nowrap}
            select{max-width:420px}
            #transcript{max-width:900px}
            .turn{border:1px solid #d0d7de;border-radius:8px;padding:6px 10px;margin:8px 0;background:#fff}
            .turn .who{font-size:11px;color:#57606a;margin-bottom:3px;text-transform:none}
            .turn .text{white-space:pre-wrap;word-break:break-word;font-size:13px}
            .turn.user,.turn.system,.turn.text{background:#f6f8fa;margin-right:80px}
            .turn.assistant,.turn.prefill{background:#ddf4ff;margin-left:80px} .turn.scorer{background:#fff8c5;margin-left:80px}
            .turn.tool-call .text,.turn.tool-result .text{font-family:monospace;font-size:12px}
            .turn.tool-call{background:#eef;margin-left:120px} .turn.tool-result{background:#f6f8fa;margin-left:120px}
            .turn.error,.turn.tool-result.error{border-color:#cf222e}
            .turn.note{background:#fbefff;font-size:12px}
            .file .path{font-family:monospace;font-size:12px;margin-top:6px}
            pre.diff .add{color:#1a7f37;background:#dafbe1} pre.diff .del{color:#cf222e;background:#ffebe9}
            form.filters label{margin-right:8px}
            .status-complete{color:#1a7f37} .status-running{color:#9a6700} .status-interrupted{color:#cf222e}
            """;

    private final dev.assay.store.Store store;
    private final Viewer viewer;

    Pages(dev.assay.store.Store store, Viewer viewer) {
        this.store = store;
        this.viewer = viewer;
    }

    // ---- run list ----------------------------------------------------------------------------------

    String runs(Map<String, String> q) {
        List<RunIndex.Entry> all = new ArrayList<>(store.runs());
        all.sort(Comparator.comparing(RunIndex.Entry::created).thenComparing(RunIndex.Entry::id).reversed());
        String text = q.getOrDefault("q", "").trim();
        String status = q.getOrDefault("status", "");
        String needle = text.toLowerCase(Locale.ROOT);
        List<RunIndex.Entry> shown = all.stream()
                .filter(e -> status.isEmpty() || e.status().equals(status))
                .filter(e -> needle.isEmpty() || (e.id() + " " + e.model() + " " + e.suites() + " " + e.summary())
                        .toLowerCase(Locale.ROOT).contains(needle))
                .toList();
        StringBuilder h = head("Runs in " + store.location());
        h.append("<h1>Runs</h1>\n<p class=\"note\">").append(esc(store.location())).append(" — ")
                .append(shown.size()).append(" of ").append(all.size()).append(" runs shown</p>\n");
        h.append("<form class=\"inline\" method=\"get\" action=\"/\"><input type=\"search\" name=\"q\" placeholder=\"model, suite, id…\" value=\"")
                .append(esc(text)).append("\"/> <select name=\"status\"><option value=\"\">any status</option>");
        for (String s : new TreeSet<>(all.stream().map(RunIndex.Entry::status).toList())) {
            h.append("<option").append(s.equals(status) ? " selected" : "").append(">").append(esc(s)).append("</option>");
        }
        h.append("</select> <button type=\"submit\">Filter</button></form>\n");
        if (all.size() >= 2) {
            h.append("<form class=\"inline\" method=\"get\" action=\"/compare\">Compare A <select name=\"a\">");
            options(h, all, all.get(1).id());
            h.append("</select> with B <select name=\"b\">");
            options(h, all, all.get(0).id());
            h.append("</select> <button type=\"submit\" id=\"compare\">Compare</button></form>\n");
        }
        h.append("<table id=\"runs\"><tr><th>run</th><th>created</th><th>status</th><th>model</th><th>suites</th><th>done / samples</th><th>errors</th><th>summary</th></tr>\n");
        for (RunIndex.Entry e : shown) {
            h.append("<tr><td><a href=\"/runs/").append(esc(e.id())).append("\">").append(esc(e.id())).append("</a></td><td>")
                    .append(esc(e.created())).append("</td><td class=\"status-").append(esc(e.status().split("-")[0])).append("\">")
                    .append(esc(e.status())).append("</td><td>").append(esc(e.model())).append("</td><td>").append(esc(e.suites()))
                    .append("</td><td class=\"num\">").append(e.done()).append(" / ").append(e.samples())
                    .append("</td><td class=\"num\">").append(e.errors()).append("</td><td>").append(esc(e.summary())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (all.isEmpty()) h.append("<p>No runs yet. Start one: <code>assay run mwe/persona/desire-for-power --limit 50 ")
                .append(esc(store.asOption())).append("</code></p>\n");
        return tail(h);
    }

    private static void options(StringBuilder h, List<RunIndex.Entry> runs, String selected) {
        for (RunIndex.Entry e : runs) {
            h.append("<option value=\"").append(esc(e.id())).append("\"").append(e.id().equals(selected) ? " selected" : "")
                    .append(">").append(esc(e.id() + " — " + e.model())).append("</option>");
        }
    }

    // ---- one run -----------------------------------------------------------------------------------

    String run(Path dir) {
        RunHeader hd = RunStore.readHeader(dir);
        String id = dir.getFileName().toString();
        StringBuilder h = head("Run " + id);
        h.append("<h1>Run ").append(esc(id)).append("</h1>\n");
        long records = viewer.index(dir).count();
        h.append("<p><a id=\"samples\" href=\"/runs/").append(esc(id)).append("/samples\">Samples (").append(records)
                .append(" records)</a> · <a href=\"/runs/").append(esc(id)).append("/report\">Full report</a></p>\n");
        h.append(QueueProgress.html(store, id));
        RunData data = load(dir, hd);
        if (data == null) {
            h.append("<p class=\"note\">No results.json yet: the run is still running or was interrupted. ")
                    .append("Its samples are browsable; finish it with <code>assay run --resume ").append(esc(id)).append("</code>.</p>\n");
        } else {
            headline(h, data);
            h.append(HtmlReport.plots(List.of(data)));
        }
        List<RunIndex.Entry> others = store.runs().stream().filter(e -> !e.id().equals(id)).toList();
        if (!others.isEmpty()) {
            List<String> suites = hd.spec().suites();
            h.append("<h2>Compare with</h2>\n<p class=\"note\">Runs of the same suites first.</p>\n<ul id=\"compare-with\">\n");
            others.stream()
                    .sorted(Comparator.comparing((RunIndex.Entry e) -> suites.stream().noneMatch(e.suites()::contains))
                            .thenComparing(RunIndex.Entry::created, Comparator.reverseOrder()))
                    .limit(20)
                    .forEach(e -> h.append("<li><a href=\"/compare?a=").append(esc(id)).append("&amp;b=").append(esc(e.id()))
                            .append("\">").append(esc(e.id())).append("</a> ").append(esc(e.model())).append(" — ")
                            .append(esc(e.suites())).append("</li>\n"));
            h.append("</ul>\n");
        }
        if (data != null) h.append(HtmlReport.details(List.of(data)));
        return tail(h);
    }

    /** The headline first: every suite's overall metrics with their 95% CI, n and interval, before any chart. */
    private static void headline(StringBuilder h, RunData data) {
        h.append("<h2>Headline</h2>\n<table id=\"headline\"><tr><th>suite</th><th>metric</th><th>value</th><th>95% CI</th><th>n</th><th>interval</th><th>meaning</th></tr>\n");
        for (Results.SuiteResults s : data.results().suites()) {
            for (Results.MetricValue m : s.metrics()) {
                h.append("<tr><td>").append(esc(s.suite())).append("</td><td>").append(esc(m.name())).append("</td><td class=\"num\">")
                        .append(Double.isNaN(m.value()) ? "—" : num(m.value())).append("</td><td class=\"num\">")
                        .append(Double.isNaN(m.ciLow()) ? "—" : "[" + num(m.ciLow()) + ", " + num(m.ciHigh()) + "]").append("</td><td class=\"num\">")
                        .append(m.n()).append("</td><td>").append(esc(m.n() == 0 ? "—" : m.method())).append("</td><td>")
                        .append(esc(m.description())).append("</td></tr>\n");
            }
        }
        h.append("</table>\n<p class=\"note\" id=\"intervals\">95% confidence intervals by ").append(esc(HtmlReport.intervalMethods(List.of(data))))
                .append(". Per-dataset tables follow the charts; a shortened name shows in full on hover.</p>\n");
    }

    String report(Path dir) {
        RunData data = load(dir, RunStore.readHeader(dir));
        if (data == null) throw new Viewer.HttpError(404, "run " + dir.getFileName() + " has no results.json yet, so no report");
        return HtmlReport.build(List.of(data));
    }

    private static RunData load(Path dir, RunHeader hd) {
        if (!Files.isRegularFile(dir.resolve(RunStore.RESULTS))) return null;
        return new RunData(hd.id(), dir, hd, RunStore.readResults(dir));
    }

    // ---- samples -----------------------------------------------------------------------------------

    String samples(Path dir, int page, int size) {
        return samples(dir, page, size, SampleFilter.of(Map.of()));
    }

    /** Records scanned per read when filtering (the whole log is read; only matches' lines are kept). */
    private static final int SCAN = 512;

    String samples(Path dir, int page, int size, SampleFilter filter) {
        if (size > MAX_PAGE) throw new Viewer.HttpError(400, "size " + size + " is more than " + MAX_PAGE + " records a page");
        String id = dir.getFileName().toString();
        SampleIndex index = viewer.index(dir);
        long total = index.count();
        List<Long> lineNumbers = new ArrayList<>();
        List<SampleRecord> records = new ArrayList<>();
        long count;
        long from;
        if (filter.isEmpty()) {
            count = total;
            from = (long) (page - 1) * size;
            List<String> lines = from < total ? index.lines(from, size) : List.of();
            for (int i = 0; i < lines.size(); i++) {
                lineNumbers.add(from + i + 1);
                records.add(parse(lines.get(i), dir, from + i + 1));
            }
        } else {
            List<SampleFilter.Hit> hits = new ArrayList<>();
            for (long at = 0; at < total; at += SCAN) {
                List<String> chunk = index.lines(at, (int) Math.min(SCAN, total - at));
                for (int i = 0; i < chunk.size(); i++) {
                    if (!filter.mayMatch(chunk.get(i))) continue;
                    SampleRecord r = parse(chunk.get(i), dir, at + i + 1);
                    if (filter.matches(r)) hits.add(new SampleFilter.Hit(at + i + 1, r.id(), filter.value(r), r.millis()));
                }
            }
            hits.sort(filter.order());
            count = hits.size();
            from = (long) (page - 1) * size;
            for (long k = from; k < Math.min(count, from + size); k++) {
                long line = hits.get((int) k).line();
                lineNumbers.add(line);
                records.add(parse(index.line(line - 1), dir, line));
            }
        }
        long pages = Math.max(1, (count + size - 1) / size);
        if (page > pages) throw new Viewer.HttpError(404, "page " + page + " is past the last page (" + pages + ") of run " + id);
        StringBuilder h = head("Samples of " + id + ", page " + page, id);
        h.append("<h1>Samples of run ").append(esc(id)).append("</h1>\n<p class=\"note\" id=\"range\">records ")
                .append(count == 0 ? 0 : from + 1).append("–").append(from + records.size()).append(" of ").append(count)
                .append(filter.isEmpty() ? "" : " matching (of " + total + ")")
                .append(", page ").append(page).append(" of ").append(pages)
                .append(filter.isEmpty() ? ". One record per line of samples.jsonl, in the order written; a retried sample appears again later and its last record counts."
                        : ". # is the record's line in samples.jsonl.").append("</p>\n");
        filterForm(h, dir, index, filter);
        pager(h, id, page, pages, size, filter);
        h.append("<table id=\"samples\"><tr><th>#</th><th>suite</th><th>id</th><th>epoch</th><th>method</th><th>scores</th><th>target</th><th>prompt</th><th>output</th></tr>\n");
        for (int i = 0; i < records.size(); i++) {
            long line = lineNumbers.get(i);
            SampleRecord r = records.get(i);
            h.append("<tr><td class=\"num\"><a href=\"/runs/").append(esc(id)).append("/samples/").append(line).append("\">")
                    .append(line).append("</a></td><td>").append(esc(r.suite())).append("</td><td>").append(esc(r.id()))
                    .append("</td><td class=\"num\">").append(r.epoch()).append("</td><td>").append(esc(r.method())).append("</td><td>")
                    .append(r.ok() ? esc(scores(r.scores())) : "<span class=\"err\">error: " + esc(clip(r.error())) + "</span>")
                    .append("</td><td>").append(esc(r.target() == null ? "" : clip(r.target())))
                    .append("</td><td class=\"preview\">").append(esc(clip(prompt(r)))).append("</td><td class=\"preview\">")
                    .append(esc(clip(output(r)))).append("</td></tr>\n");
        }
        h.append("</table>\n");
        pager(h, id, page, pages, size, filter);
        return tail(h);
    }

    /** The filter and sort form; its choices (scores, methods, groups) come from the first records and results.json's groups. */
    private void filterForm(StringBuilder h, Path dir, SampleIndex index, SampleFilter f) {
        TreeSet<String> scores = new TreeSet<>();
        TreeSet<String> methods = new TreeSet<>();
        TreeSet<String> groups = new TreeSet<>();
        TreeSet<String> suites = new TreeSet<>();
        for (String line : index.lines(0, (int) Math.min(SCAN, index.count()))) {
            try {
                SampleRecord r = Json.MAPPER.readValue(line, SampleRecord.class);
                scores.addAll(r.scores().keySet());
                if (r.method() != null) methods.add(r.method());
                suites.add(r.suite());
                if (r.metadata().get("dataset") instanceof String d) groups.add("dataset=" + d);
            } catch (JsonProcessingException ignored) {
                // the page itself reports an unreadable record
            }
        }
        if (Files.isRegularFile(dir.resolve(RunStore.RESULTS))) {
            for (var s : RunStore.readResults(dir).suites()) for (var g : s.groups()) groups.add(g.key() + "=" + g.value());
        }
        if (suites.size() > 1) suites.forEach(x -> groups.add("suite=" + x));
        h.append("<form class=\"filters\" id=\"filters\" method=\"get\" action=\"/runs/").append(esc(dir.getFileName().toString()))
                .append("/samples\"><label>text <input type=\"search\" name=\"q\" placeholder=\"prompt, output, id…\" value=\"")
                .append(esc(f.text() == null ? "" : f.text())).append("\"/></label>");
        select(h, "score", "any score", scores, f.score());
        h.append("<label>from <input type=\"number\" step=\"any\" name=\"min\" style=\"width:5em\" value=\"").append(f.min() == null ? "" : num(f.min()))
                .append("\"/></label><label>to <input type=\"number\" step=\"any\" name=\"max\" style=\"width:5em\" value=\"")
                .append(f.max() == null ? "" : num(f.max())).append("\"/></label>");
        select(h, "correct", "correct or not", List.of("yes", "no"), f.correct());
        select(h, "method", "any method", methods, f.method());
        select(h, "group", "any group", groups, f.group());
        select(h, "error", "errors or not", List.of("yes", "no"), f.error());
        select(h, "sort", "log order", List.of("score", "-score", "id", "-id", "time", "-time"), f.sort());
        h.append(" <button type=\"submit\" id=\"apply\">Filter</button> <a href=\"/runs/").append(esc(dir.getFileName().toString()))
                .append("/samples\">clear</a></form>\n<p class=\"note\">correct: the chosen score (or a record's only score) is 1 (yes) or 0 (no); "
                        + "sort by score uses the chosen score; -score is highest first.</p>\n");
    }

    private static void select(StringBuilder h, String name, String any, java.util.Collection<String> values, String chosen) {
        h.append("<label><select name=\"").append(name).append("\"><option value=\"\">").append(esc(any)).append("</option>");
        for (String v : values) {
            h.append("<option").append(v.equals(chosen) ? " selected" : "").append(" value=\"").append(esc(v)).append("\">")
                    .append(esc(name.equals("error") ? (v.equals("yes") ? "errors only" : "no errors") : name.equals("sort") ? "sort by " + v : v))
                    .append("</option>");
        }
        h.append("</select></label>");
    }

    private static void pager(StringBuilder h, String id, long page, long pages, int size, SampleFilter filter) {
        String base = "/runs/" + esc(id) + "/samples?" + filter.query() + (size == PAGE ? "" : "size=" + size + "&amp;") + "page=";
        h.append("<div class=\"pager\">");
        link(h, page > 1, base + 1, "« first", "first");
        link(h, page > 1, base + (page - 1), "‹ previous", "previous");
        h.append("<span>page ").append(page).append(" of ").append(pages).append("</span>");
        link(h, page < pages, base + (page + 1), "next ›", "next");
        link(h, page < pages, base + pages, "last »", "last");
        // A page number typed in keeps the filter and the page size (hidden fields, as the links carry them).
        h.append("<form class=\"inline\" method=\"get\" action=\"/runs/").append(esc(id)).append("/samples\">");
        filter.set().forEach((k, v) -> h.append("<input type=\"hidden\" name=\"").append(k).append("\" value=\"").append(esc(v)).append("\"/>"));
        if (size != PAGE) h.append("<input type=\"hidden\" name=\"size\" value=\"").append(size).append("\"/>");
        h.append("go to page <input type=\"number\" name=\"page\" min=\"1\" max=\"").append(pages).append("\" value=\"").append(page)
                .append("\" style=\"width:6em\"/> <button type=\"submit\">Go</button></form></div>\n");
    }

    private static void link(StringBuilder h, boolean enabled, String href, String text, String rel) {
        if (enabled) h.append("<a rel=\"").append(rel).append("\" href=\"").append(href).append("\">").append(text).append("</a>");
        else h.append("<span style=\"color:#8c959f\">").append(text).append("</span>");
    }

    String sample(Path dir, long line) {
        String id = dir.getFileName().toString();
        SampleIndex index = viewer.index(dir);
        String json = index.line(line - 1);
        if (json == null) throw new Viewer.HttpError(404, "run " + id + " has " + index.count() + " records, no record " + line);
        SampleRecord r = parse(json, dir, line);
        StringBuilder h = head("Sample " + r.id() + " of " + id, id);
        h.append("<h1>Sample ").append(esc(r.id())).append("</h1>\n<div class=\"pager\">");
        String base = "/runs/" + esc(id) + "/samples/";
        link(h, line > 1, base + (line - 1), "‹ previous record", "previous");
        link(h, line < index.count(), base + (line + 1), "next record ›", "next");
        long page = (line - 1) / PAGE + 1;
        h.append("<a href=\"/runs/").append(esc(id)).append("/samples?page=").append(page).append("\">back to page ").append(page).append("</a></div>\n");
        h.append("<table id=\"record\">\n");
        row(h, "record", line + " of " + index.count());
        row(h, "suite", r.suite());
        row(h, "sample id", r.id());
        row(h, "epoch", Integer.toString(r.epoch()));
        row(h, "seed", Long.toString(r.seed()));
        row(h, "method", r.method());
        row(h, "time", r.millis() + " ms");
        if (!r.ok()) h.append("<tr><th>error</th><td class=\"err\">").append(esc(r.error())).append("</td></tr>\n");
        h.append("</table>\n");
        // The item first: what the behaviour-matching answer is and where the item came from.
        h.append("<h2>Item</h2>\n<table id=\"item\">\n");
        row(h, "target", r.target() == null ? "— (none)" : r.target());
        new TreeMap<>(r.metadata()).forEach((k, v) -> row(h, k, v instanceof String str ? str : compact(v)));
        h.append("</table>\n");
        if (r.scores() != null && !r.scores().isEmpty()) {
            h.append("<h2>Scores</h2>\n<table id=\"scores\"><tr><th>score</th><th>value</th></tr>\n");
            new TreeMap<>(r.scores()).forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td class=\"num\">")
                    .append(v == null ? "—" : num(v)).append("</td></tr>\n"));
            h.append("</table>\n");
        }
        if (r.output() != null && !r.output().isEmpty()) {
            h.append("<h2>Output</h2>\n<p class=\"note\">What the solver recorded for the scorers.</p>\n<pre id=\"output\">")
                    .append(esc(pretty(r.output()))).append("</pre>\n");
        }
        List<ModelCall> calls = r.modelCalls();
        long tools = r.events().stream().filter(e -> e instanceof ToolCall).count();
        h.append("<h2>Transcript</h2>\n<p class=\"note\" id=\"transcript-counts\">").append(calls.size()).append(" model call(s), ")
                .append(tools).append(" tool call(s); each call shows only the turns it adds to the one before.</p>\n");
        h.append(Conversation.html(r.events()));
        h.append("<details id=\"raw-events\"><summary>Every event as logged (").append(r.events().size())
                .append(": prompts, requests and responses as JSON)</summary>\n");
        int i = 0;
        for (Event e : r.events()) {
            i++;
            switch (e) {
                case ModelCall c -> {
                    boolean scorer = c.origin() == Origin.SCORER;
                    h.append("<div class=\"call").append(scorer ? " judge" : "").append("\"><h3>").append(i).append(". ")
                            .append(scorer ? "Scorer call" : "Model call").append(" — role ").append(esc(c.role())).append(", step ")
                            .append(esc(c.step())).append(", ").append(esc(c.op())).append(c.cached() ? ", cached" : "")
                            .append(", ").append(c.millis()).append(" ms")
                            .append(c.promptTokens() + c.completionTokens() > 0 ? ", tokens " + c.promptTokens() + "+" + c.completionTokens() : "")
                            .append("</h3>\n<p class=\"note\">prompt</p><pre class=\"prompt\">")
                            .append(esc(c.prompt() instanceof String s ? s : pretty(c.prompt()))).append("</pre>\n");
                    if (!c.request().isEmpty()) {
                        h.append("<p class=\"note\">request</p><pre class=\"request\">").append(esc(pretty(c.request()))).append("</pre>\n");
                    }
                    if (c.error() != null) h.append("<p class=\"err\">").append(esc(c.error())).append("</p>\n");
                    h.append("<p class=\"note\">").append(scorer ? "scorer's model output" : "model output").append("</p><pre class=\"response\">")
                            .append(esc(response(c))).append("</pre></div>\n");
                }
                case ToolCall c -> h.append("<div class=\"call tool\"><h3>").append(i).append(". Tool call — ").append(esc(c.name()))
                        .append(" (").append(esc(c.id())).append("), step ").append(esc(c.step())).append("</h3><pre class=\"request\">")
                        .append(esc(pretty(c.arguments()))).append("</pre></div>\n");
                case ToolResult t -> h.append("<div class=\"call tool\"><h3>").append(i).append(". Tool result — ").append(esc(t.name()))
                        .append(" (").append(esc(t.id())).append(")").append(t.exitCode() == null ? "" : ", exit " + t.exitCode())
                        .append(t.isError() ? ", error" : "").append(t.stop() == null ? "" : ", stopped: " + esc(t.stop()))
                        .append("</h3><pre class=\"response\">").append(esc(t.output())).append("</pre></div>\n");
                case SandboxSnapshot snap -> {
                    var shot = snap.snapshot();
                    h.append("<div class=\"call sandbox\"><h3>").append(i).append(". Sandbox snapshot — ").append(shot.changes().size())
                            .append(" file(s) changed, ").append(shot.unchangedFiles()).append(" unchanged, ").append(shot.treeBytes())
                            .append(" bytes</h3>\n<table>");
                    for (var f : shot.changes()) {
                        h.append("<tr><td>").append(esc(f.path())).append("</td><td>").append(esc(f.change().name().toLowerCase(Locale.ROOT)))
                                .append("</td><td>").append(esc(f.type())).append("</td><td class=\"num\">").append(f.size())
                                .append("</td><td><code>").append(esc(f.sha256() == null ? "" : f.sha256())).append("</code></td></tr>\n");
                        if (f.text() != null) h.append("<tr><td colspan=\"5\"><pre>").append(esc(f.text())).append("</pre></td></tr>\n");
                    }
                    h.append("</table></div>\n");
                }
                case Note n -> h.append("<div class=\"call note\"><h3>").append(i).append(". Note, step ").append(esc(n.step()))
                        .append("</h3><p>").append(esc(n.text())).append("</p></div>\n");
            }
        }
        h.append("</details>\n");
        return tail(h);
    }

    // ---- comparison --------------------------------------------------------------------------------

    String compare(Path a, Path b) {
        RunHeader ha = RunStore.readHeader(a);
        RunHeader hb = RunStore.readHeader(b);
        RunData da = load(a, ha);
        RunData db = load(b, hb);
        String ia = a.getFileName().toString();
        String ib = b.getFileName().toString();
        StringBuilder h = head("Compare " + ia + " and " + ib);
        h.append("<h1>Compare two runs</h1>\n<p class=\"note\">In the plots, A is the first (blue) series and B the second (orange).</p>\n<table id=\"pair\"><tr><th></th><th>run</th><th>model</th><th>suites</th><th>created</th></tr>\n");
        for (var x : List.of(Map.entry("A", ha), Map.entry("B", hb))) {
            RunHeader hd = x.getValue();
            String id = hd == ha ? ia : ib;
            h.append("<tr><th>").append(x.getKey()).append("</th><td><a href=\"/runs/").append(esc(id)).append("\">").append(esc(id))
                    .append("</a></td><td>").append(esc(hd.spec().model())).append("</td><td>").append(esc(String.join(", ", hd.spec().suites())))
                    .append("</td><td>").append(esc(hd.created())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (da == null || db == null) {
            h.append("<p class=\"note\">").append(da == null ? "A" : "B").append(" has no results.json yet; only finished runs can be compared.</p>\n");
            return tail(h);
        }
        metricsSideBySide(h, da, db);
        String paired = HtmlReport.comparison(da, db);
        h.append(paired.isEmpty() ? "<p class=\"note\" id=\"no-shared\">The two runs share no scored items, so there is no paired comparison.</p>\n" : paired);
        h.append(HtmlReport.plots(List.of(da, db)));
        return tail(h);
    }

    /** Per suite and metric: A's and B's value with its 95% CI, one row each. */
    private static void metricsSideBySide(StringBuilder h, RunData a, RunData b) {
        Map<String, Results.MetricValue[]> rows = new TreeMap<>();
        for (int side = 0; side < 2; side++) {
            for (Results.SuiteResults s : (side == 0 ? a : b).results().suites()) {
                for (Results.MetricValue m : s.metrics()) {
                    if (m.n() == 0) continue;
                    rows.computeIfAbsent(s.suite() + "\u0000" + m.name(), k -> new Results.MetricValue[2])[side] = m;
                }
            }
        }
        h.append("<h2>Metrics side by side</h2>\n<table id=\"side-by-side\"><tr><th>suite</th><th>metric</th><th>A</th><th>A 95% CI</th><th>B</th><th>B 95% CI</th><th>B − A</th></tr>\n");
        rows.forEach((k, v) -> {
            String[] key = k.split("\u0000", 2);
            h.append("<tr><td>").append(esc(key[0])).append("</td><td>").append(esc(key[1])).append("</td>");
            for (Results.MetricValue m : v) {
                h.append("<td class=\"num\">").append(m == null ? "—" : num(m.value())).append("</td><td class=\"num\">")
                        .append(m == null || Double.isNaN(m.ciLow()) ? "—" : "[" + num(m.ciLow()) + ", " + num(m.ciHigh()) + "]").append("</td>");
            }
            h.append("<td class=\"num\">").append(v[0] == null || v[1] == null ? "—"
                    : String.format(Locale.ROOT, "%+.4f", v[1].value() - v[0].value())).append("</td></tr>\n");
        });
        h.append("</table>\n");
    }

    // ---- pieces ------------------------------------------------------------------------------------

    String error(int status, String message) {
        StringBuilder h = head(status + " " + reason(status));
        h.append("<h1>").append(status).append(" ").append(esc(reason(status))).append("</h1>\n<p id=\"error\">")
                .append(esc(message)).append("</p>\n");
        return tail(h);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            default -> "Server error";
        };
    }

    private static StringBuilder head(String title) {
        return head(title, null);
    }

    /** The page start with a breadcrumb: All runs › Run ID (when the page belongs to a run). */
    private static StringBuilder head(String title, String runId) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>").append(esc(title))
                .append(" — assay view</title><style>").append(HtmlReport.style()).append(CSS).append("</style></head><body>\n")
                .append("<nav class=\"top\"><a href=\"/\">All runs</a>");
        if (runId != null) h.append(" › <a id=\"run-link\" href=\"/runs/").append(esc(runId)).append("\">Run ").append(esc(runId)).append("</a>");
        return h.append("</nav>\n");
    }

    private static String tail(StringBuilder h) {
        return h.append("</body></html>\n").toString();
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
    }

    private static SampleRecord parse(String json, Path dir, long line) {
        try {
            return Json.MAPPER.readValue(json, SampleRecord.class);
        } catch (JsonProcessingException e) {
            throw new AssayException(dir.resolve(RunStore.SAMPLES) + ": record " + line + " is not a sample record (" + e.getOriginalMessage() + ")");
        }
    }

    private static String scores(Map<String, Double> scores) {
        if (scores == null || scores.isEmpty()) return "—";
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(scores).forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append("=").append(v == null ? "—" : num(v)));
        return sb.toString();
    }

    private static String prompt(SampleRecord r) {
        List<ModelCall> calls = r.modelCalls();
        if (calls.isEmpty()) return "";
        Object p = calls.getFirst().prompt();
        return p instanceof String s ? s : compact(p);
    }

    private static String output(SampleRecord r) {
        List<ModelCall> calls = r.modelCalls();
        if (calls.isEmpty()) return r.output() == null ? "" : compact(r.output());
        return Conversation.reply(calls.getLast());
    }

    /** The generated text where there is one text, else the whole response (log-probs, several texts). */
    private static String response(ModelCall c) {
        if (c.response().get("text") instanceof String s && !c.response().containsKey("texts")) return s;
        return pretty(c.response());
    }

    private static String pretty(Object o) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            return String.valueOf(o);
        }
    }

    private static String compact(Object o) {
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            return String.valueOf(o);
        }
    }

    private static String clip(String s) {
        if (s == null) return "";
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() <= PREVIEW ? one : one.substring(0, PREVIEW - 1) + "…";
    }
}
