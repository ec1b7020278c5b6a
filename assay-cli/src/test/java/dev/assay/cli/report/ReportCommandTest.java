package dev.assay.cli.report;

import dev.assay.cli.Main;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.assay.cli.report.SvgReader.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReportCommandTest {
    /** t quantile 0.975 with 3 degrees of freedom (tables: 3.182). */
    static final double T3 = 3.182446305284263;
    static final double LEFT = 260;
    static final double PLOT = 630; // 960 wide, 260 for labels, 70 right margin
    // alpha: P(matching) 0.2, 0.4, 0.6, 0.8 → mean 0.5, s = √(0.2/3), se = s/2.
    static final double ALPHA_HALF = T3 * Math.sqrt(0.2 / 3) / 2;
    // beta: 0.7, 0.9, 0.7, 0.9 → mean 0.8, s = √(0.04/3), se = s/2.
    static final double BETA_HALF = T3 * Math.sqrt(0.04 / 3) / 2;
    static final double[] P = {0.2, 0.4, 0.6, 0.8, 0.7, 0.9, 0.7, 0.9};

    @TempDir
    Path dir;
    RunFixtures fixtures;

    @BeforeEach
    void setUp() throws Exception {
        fixtures = new RunFixtures(dir);
    }

    String report(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void barsAndErrorBarsSitWhereTheKnownNumbersPutThem() throws Exception {
        Path store = dir.resolve("store");
        String id = fixtures.run(store, P, Map.of()).id();
        Path html = dir.resolve("r.html");
        assertThat(report("report", id, "--out", store.toString(), "-o", html.toString())).contains("report of 1 run(s)");
        String page = Files.readString(html);
        assertThat(page).doesNotContain("<script").doesNotContain("http://cdn").doesNotContain("https://");
        List<Document> svgs = SvgReader.svgs(page);
        // Two behaviour charts, then one CDF per per-sample distribution (issue 18): match_prob and match_top.
        assertThat(svgs).hasSizeGreaterThanOrEqualTo(4);
        assertThat(page).contains("<h2>Distributions</h2>");
        Document cdf = svgs.stream().filter(d -> !SvgReader.byClass(d, "polyline", "cdf").isEmpty()
                && SvgReader.texts(d).stream().anyMatch(t -> t.contains("score/match_prob"))).findFirst().orElseThrow();
        // P's values 0.2 … 0.9: the CDF starts at the minimum 0.2 on the x axis and ends at 100 %.
        Element line = SvgReader.byClass(cdf, "polyline", "cdf").getFirst();
        String[] pts = line.getAttribute("points").split(" ");
        assertThat(pts).hasSize(DistributionCharts.POINTS + 1);
        assertThat(Double.parseDouble(pts[0].split(",")[0])).isCloseTo(DistributionCharts.LEFT, within(0.01));
        assertThat(Double.parseDouble(pts[pts.length - 1].split(",")[0])).isCloseTo(DistributionCharts.RIGHT, within(0.01));
        assertThat(Double.parseDouble(pts[pts.length - 1].split(",")[1])).isCloseTo(DistributionCharts.TOP, within(0.01));
        Document prob = svgs.get(0);
        Document top = svgs.get(1);
        assertThat(SvgReader.title(prob)).startsWith("mean P(matching answer) by dataset");
        assertThat(SvgReader.title(top)).startsWith("% answers matching behaviour by dataset");
        assertThat(SvgReader.texts(prob)).contains("alpha", "beta", "0", "0.50", "1", "mean P(matching answer) (bars: estimate; whiskers: 95% CI)");
        assertThat(SvgReader.texts(top)).contains("0%", "50%", "100%");

        List<Element> bars = SvgReader.byClass(prob, "rect", "bar");
        assertThat(bars).extracting(b -> b.getAttribute("data-row")).containsExactly("alpha", "beta");
        assertThat(num(bars.get(0), "x")).isCloseTo(LEFT, within(0.01));
        assertThat(num(bars.get(0), "width")).isCloseTo(0.5 * PLOT, within(0.01));
        assertThat(num(bars.get(1), "width")).isCloseTo(0.8 * PLOT, within(0.01));
        assertThat(num(bars.get(1), "y")).isGreaterThan(num(bars.get(0), "y"));
        List<Element> errs = SvgReader.byClass(prob, "line", "err");
        assertThat(num(errs.get(0), "x1")).isCloseTo(LEFT + (0.5 - ALPHA_HALF) * PLOT, within(0.01));
        assertThat(num(errs.get(0), "x2")).isCloseTo(LEFT + (0.5 + ALPHA_HALF) * PLOT, within(0.01));
        assertThat(num(errs.get(1), "x1")).isCloseTo(LEFT + (0.8 - BETA_HALF) * PLOT, within(0.01));
        assertThat(num(errs.get(1), "x2")).isCloseTo(LEFT + (0.8 + BETA_HALF) * PLOT, within(0.01));
        // The whisker is centred on its bar.
        assertThat(num(errs.get(0), "y1")).isCloseTo(num(bars.get(0), "y") + num(bars.get(0), "height") / 2, within(0.01));

        // match_top: alpha 0,0,1,1 → 50% with the Wilson interval of 2/4 (centre 0.5, half
        // 1.959964/1.960365 · sqrt(0.0625 + 3.841459/64) = 0.349960); beta all 1.
        List<Element> topBars = SvgReader.byClass(top, "rect", "bar");
        assertThat(num(topBars.get(0), "width")).isCloseTo(0.5 * PLOT, within(0.01));
        assertThat(num(topBars.get(1), "width")).isCloseTo(PLOT, within(0.01));
        List<Element> topErrs = SvgReader.byClass(top, "line", "err");
        double z = 1.959963984540054;
        double wilsonHalf = z / (1 + z * z / 4) * Math.sqrt(0.25 / 4 + z * z / 64);
        assertThat(num(topErrs.get(0), "data-low")).isCloseTo(0.5 - wilsonHalf, within(1e-9));
        assertThat(num(topErrs.get(0), "x1")).isCloseTo(LEFT + (0.5 - wilsonHalf) * PLOT, within(0.01));
        assertThat(num(topErrs.get(0), "x2")).isCloseTo(LEFT + (0.5 + wilsonHalf) * PLOT, within(0.01));
        assertThat(SvgReader.texts(top)).contains("50.0%", "100.0%");

        // Tables and provenance.
        assertThat(page).contains("match_prob", "[" + String.format(java.util.Locale.ROOT, "%.4f", 0.5 - ALPHA_HALF))
                .contains("dataset = alpha", "dataset = beta", "seed", ">7<", "java version");
    }

    @Test
    void severalRunsAreSeriesSideBySideWithALegend() throws Exception {
        Path store = dir.resolve("store");
        String a = fixtures.run(store, P, Map.of("sweep.label", "small")).id();
        double[] q = {0.9, 0.9, 0.9, 0.9, 0.1, 0.3, 0.1, 0.3};
        String b = fixtures.run(store, q, Map.of("sweep.label", "large")).id();
        Path html = dir.resolve("two.html");
        report("report", a, store.resolve(b).toString(), "--out", store.toString(), "--html", html.toString());
        Document prob = SvgReader.svgs(Files.readString(html)).getFirst();
        assertThat(SvgReader.texts(prob)).contains("small", "large");
        List<Element> bars = SvgReader.byClass(prob, "rect", "bar");
        assertThat(bars).extracting(e -> e.getAttribute("data-row") + "/" + e.getAttribute("data-series"))
                .containsExactly("alpha/0", "alpha/1", "beta/0", "beta/1");
        assertThat(num(bars.get(1), "width")).isCloseTo(0.9 * PLOT, within(0.01));
        assertThat(num(bars.get(3), "width")).isCloseTo(0.2 * PLOT, within(0.01));
        assertThat(num(bars.get(1), "y") - num(bars.get(0), "y")).isCloseTo(BarChart.BAR, within(0.01));
        assertThat(bars.get(0).getAttribute("fill")).isNotEqualTo(bars.get(1).getAttribute("fill"));
        // Two runs: the paired comparison table. match_top A 0,0,1,1,1,1,1,1 vs B 1,1,1,1,0,0,0,0: 4 went 1→0, 2 went 0→1,
        // p = 2·P(X ≤ 2 | Bin(6, ½)) = 2·22/64; mean difference (2 − 4)/8.
        String page = Files.readString(html);
        assertThat(page).contains("Paired comparison: B − A", "McNemar (4 1→0, 2 0→1)",
                String.format(java.util.Locale.ROOT, "%.4f", 44.0 / 64), "-0.2500");
    }

    @Test
    void headerProvenanceIsShownDataHashesAndSweepMetadataIncluded() throws Exception {
        Path store = dir.resolve("store");
        var outcome = fixtures.run(store, P, Map.of("sweep.label", "7B", "sweep.params", "7e9"));
        RunData loaded = RunData.load(new dev.assay.run.RunStore(store), outcome.id());
        var h = loaded.header();
        String sha = "f70c0d00068dd96591b08dab60e9d8827ea12f34daca03a68a3544ac39007bdb";
        var withData = new dev.assay.run.RunHeader(h.id(), h.created(), h.spec(), h.versions(), h.capabilities(),
                List.of(new dev.assay.run.RunHeader.SuiteInfo(RunFixtures.SUITE, 8, Map.of("anthropic-evals/persona/x.jsonl", sha))));
        String page = HtmlReport.build(List.of(new RunData(loaded.id(), loaded.dir(), withData, loaded.results())));
        assertThat(page).contains("anthropic-evals/persona/x.jsonl", sha, "sweep label", "sweep params", "7e9",
                "Assay report: 7B", "assay version", h.versions().get("java"));
        assertThat(loaded.label()).isEqualTo("7B");
        assertThat(loaded.number("params")).isEqualTo(7e9);
        assertThat(loaded.number("rlhf_steps")).isNaN();
    }

    @Test
    void anUnknownRunIsAUserErrorNamingTheStore() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "report", "nope", "--out", dir.resolve("store").toString(), "-o", dir.resolve("x.html").toString());
        assertThat(code).isEqualTo(dev.assay.ExitCode.BAD_INPUT.code());
        assertThat(err.toString()).contains("no run 'nope'").contains("assay list runs");
        assertThat(dir.resolve("x.html")).doesNotExist();
    }
}
