package dev.assay.cli.report;

import dev.assay.cli.Main;
import dev.assay.run.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.assay.cli.report.SvgReader.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SweepTest {
    // Line chart geometry: x from 80 + 6% of 590 to 670 − 6% of 590; y 0 at 410, 1 at 50.
    static final double X0 = 80 + 0.06 * 590;
    static final double X1 = 670 - 0.06 * 590;
    static final double HALF = ReportCommandTest.T3 * Math.sqrt(0.04 / 3) / 2; // items m±0.1: s = √(0.04/3)

    @TempDir
    Path dir;

    /** Items alternate m − 0.1, m + 0.1 within each dataset: mean m, known interval. */
    static double[] items(double alpha, double beta) {
        return new double[]{alpha - 0.1, alpha + 0.1, alpha - 0.1, alpha + 0.1, beta - 0.1, beta + 0.1, beta - 0.1, beta + 0.1};
    }

    record Result(int code, String out, String err) {
    }

    static Result assay(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void sweepRunsEachModelRecordsItsMetadataAndTheReportPlotsSizeAndRlhfSteps() throws Exception {
        RunFixtures f = new RunFixtures(dir);
        Path small = f.replay(items(0.2, 0.7));
        Path medium = f.replay(items(0.4, 0.7));
        Path large = f.replay(items(0.8, 0.7));
        Path yaml = dir.resolve("sweep.yaml");
        Files.writeString(yaml, """
                models:
                  - model: replay/%s
                    label: 100M
                    params: 1e8
                    rlhf_steps: 0
                  - model: replay/%s
                    label: 1B
                    params: 1.0e+9
                    rlhf_steps: 100
                  - model: replay/%s
                    label: 10B
                    params: 10_000_000_000
                    rlhf_steps: 400
                    family: demo
                """.formatted(small, medium, large));
        Path store = dir.resolve("store");
        Result run = assay("run", MatchSuites.NAME, "--sweep", yaml.toString(), "--out", store.toString());
        assertThat(run.code()).as(run.err()).isZero();
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("run (\\S+) → ").matcher(run.out());
        while (m.find()) ids.add(m.group(1));
        assertThat(ids).hasSize(3);
        assertThat(run.out()).contains("assay report " + String.join(" ", ids));
        var spec = RunStore.readHeader(store.resolve(ids.get(2))).spec();
        assertThat(spec.model()).isEqualTo("replay/" + large);
        assertThat(spec.modelOptions()).containsEntry("sweep.label", "10B").containsEntry("sweep.family", "demo")
                .containsEntry("sweep.rlhf_steps", "400");

        Path html = dir.resolve("sweep.html");
        List<String> args = new ArrayList<>(List.of("report"));
        args.addAll(ids);
        args.addAll(List.of("--out", store.toString(), "-o", html.toString()));
        assertThat(assay(args.toArray(String[]::new)).code()).isZero();
        List<Document> svgs = SvgReader.svgs(Files.readString(html));
        Document size = svgs.stream().filter(d -> SvgReader.title(d).equals("mean P(matching answer) vs model size")).findFirst().orElseThrow();
        Document rlhf = svgs.stream().filter(d -> SvgReader.title(d).equals("% answers matching behaviour vs RLHF steps")).findFirst().orElseThrow();
        // Only one family is named, so lines are per behaviour, not per (behaviour, family).
        assertThat(SvgReader.byClass(size, "polyline", "line")).extracting(e -> e.getAttribute("data-line"))
                .containsExactly("alpha", "beta");
        assertThat(SvgReader.texts(size)).contains("100M", "1B", "10B", "model size (parameters, log scale)", "alpha", "beta");
        List<Element> pts = SvgReader.byClass(size, "circle", "pt");
        List<Element> alpha = pts.stream().filter(e -> e.getAttribute("data-line").equals("alpha")).toList();
        assertThat(alpha).hasSize(3);
        // log10 x: 1e8, 1e9, 1e10 at the left end, middle and right end of the axis.
        assertThat(num(alpha.get(0), "cx")).isCloseTo(X0, within(0.01));
        assertThat(num(alpha.get(1), "cx")).isCloseTo((X0 + X1) / 2, within(0.01));
        assertThat(num(alpha.get(2), "cx")).isCloseTo(X1, within(0.01));
        assertThat(num(alpha.get(0), "cy")).isCloseTo(410 - 360 * 0.2, within(0.01));
        assertThat(num(alpha.get(1), "cy")).isCloseTo(410 - 360 * 0.4, within(0.01));
        assertThat(num(alpha.get(2), "cy")).isCloseTo(410 - 360 * 0.8, within(0.01));
        Element err = SvgReader.byClass(size, "line", "err").stream()
                .filter(e -> e.getAttribute("data-line").equals("alpha") && num(e, "data-x") == 1e9).findFirst().orElseThrow();
        assertThat(num(err, "y1")).isCloseTo(410 - 360 * (0.4 - HALF), within(0.01));
        assertThat(num(err, "y2")).isCloseTo(410 - 360 * (0.4 + HALF), within(0.01));

        // RLHF steps on a linear axis from 0 to 400: 100 steps is a quarter of the way; beta stays at 100% matching.
        List<Element> beta = SvgReader.byClass(rlhf, "circle", "pt").stream().filter(e -> e.getAttribute("data-line").equals("beta")).toList();
        assertThat(beta).hasSize(3);
        assertThat(num(beta.get(0), "cx")).isCloseTo(X0, within(0.01));
        assertThat(num(beta.get(1), "cx")).isCloseTo(X0 + (X1 - X0) / 4, within(0.01));
        assertThat(num(beta.get(2), "cx")).isCloseTo(X1, within(0.01));
        assertThat(beta).allSatisfy(e -> assertThat(num(e, "cy")).isCloseTo(50, within(0.01)));
        assertThat(SvgReader.texts(rlhf)).contains("RLHF steps", "0", "100", "400", "% answers matching behaviour");
    }

    @Test
    void sweepFileErrorsNameTheFileAndEntry() throws Exception {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "models:\n  - model: replay/x.jsonl\n    params: big\n");
        Result r = assay("run", MatchSuites.NAME, "--sweep", yaml.toString(), "--out", dir.resolve("s").toString());
        assertThat(r.code()).isEqualTo(dev.assay.ExitCode.BAD_INPUT.code());
        assertThat(r.err()).contains("bad.yaml: models[0].params = 'big' is not a number");
        Files.writeString(yaml, "runs: []\n");
        assertThat(assay("run", MatchSuites.NAME, "--sweep", yaml.toString(), "--out", dir.resolve("s").toString()).err()).contains("expected a list 'models:'");
        Files.writeString(yaml, "models:\n  - label: x\n");
        assertThat(assay("run", MatchSuites.NAME, "--sweep", yaml.toString(), "--out", dir.resolve("s").toString()).err()).contains("models[0] needs 'model: provider/name'");
        assertThat(assay("run", MatchSuites.NAME, "--sweep", yaml.toString(), "--model", "replay/y", "--out", dir.resolve("s").toString()).err()).contains("give no --model with it");
    }
}
