package dev.assay.cli.view;

import dev.assay.cli.report.RunFixtures;
import dev.assay.run.RunStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The viewer in a real headless Chromium (Debian's /usr/bin/chromium and /usr/bin/chromedriver; Selenium
 * Manager is never asked for anything): click from the run list to a run, its samples, one sample, and a
 * comparison, asserting what is on screen. Screenshots go to target/screenshots for a human to look at.
 */
class ViewerBrowserTest {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    // Items 1–4 are dataset alpha, 5–8 beta; A's mean P(matching) is 5.2/8 = 0.65, B's 4.8/8 = 0.60.
    static final double[] P = {0.2, 0.4, 0.6, 0.8, 0.7, 0.9, 0.7, 0.9};
    static final double[] Q = {0.6, 0.4, 0.6, 0.8, 0.7, 0.9, 0.7, 0.1};

    @TempDir
    Path dir;
    String runA;
    String runB;
    String synthetic;
    Viewer viewer;
    WebDriver browser;
    Path shots;

    @BeforeEach
    void setUp() throws Exception {
        Path storeDir = dir.resolve("store");
        RunFixtures fixtures = new RunFixtures(dir);
        runA = fixtures.run(storeDir, P, Map.of()).id();
        runB = fixtures.run(storeDir, Q, Map.of()).id();
        RunStore store = new RunStore(storeDir);
        Thread.sleep(1100); // run ids carry the second they were made
        synthetic = SyntheticRun.write(store, 45);
        viewer = Viewer.start(store, 0);

        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")), "--window-size=1280,1600");
        browser = new ChromeDriver(service, options);
        shots = Path.of(System.getProperty("assay.screenshots", "target/screenshots"));
        Files.createDirectories(shots);
    }

    @AfterEach
    void tearDown() {
        if (browser != null) browser.quit();
        if (viewer != null) viewer.close();
    }

    /** The page's SVG charts that are (or are not) distribution CDFs. */
    private long charts(boolean cdf) {
        return browser.findElements(By.tagName("svg")).stream()
                .filter(svg -> svg.findElements(By.cssSelector("polyline.cdf")).isEmpty() != cdf).count();
    }

    @Test
    void clickFromRunListToRunToSampleToComparison() throws IOException {
        browser.get(viewer.uri().toString());
        assertThat(browser.getTitle()).startsWith("Runs in ");
        assertThat(text(By.tagName("body"))).contains("3 of 3 runs shown");
        List<WebElement> rows = browser.findElements(By.cssSelector("#runs tr"));
        assertThat(rows).hasSize(4); // header + 3 runs
        assertThat(rows.get(1).getText()).contains(synthetic, "complete", "45 / 45"); // newest first
        shot("viewer-runs");

        browser.findElement(By.linkText(runA)).click();
        assertThat(text(By.tagName("h1"))).isEqualTo("Run " + runA);
        assertThat(text(By.id("samples"))).isEqualTo("Samples (8 records)");
        // the two rate charts, then one CDF per distribution the run's results carry (drawn from their sketches)
        assertThat(charts(false)).isEqualTo(2);
        assertThat(charts(true)).isGreaterThanOrEqualTo(1);
        assertThat(text(By.tagName("body"))).contains("Distributions");
        assertThat(text(By.tagName("body"))).contains("match_prob", "0.6500");
        // Issue 21 items 9-10: the headline table comes before the first chart, and the note names the intervals used.
        assertThat(text(By.id("headline"))).contains("match_prob 0.6500", "match_top", "wilson");
        Object headlineFirst = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return !!(document.getElementById('headline').compareDocumentPosition(document.querySelector('svg')) & Node.DOCUMENT_POSITION_FOLLOWING)");
        assertThat(headlineFirst).isEqualTo(true);
        assertThat(text(By.id("intervals"))).contains("Wilson's score interval for proportions", "Student-t for other means")
                .doesNotContain("bootstrap"); // no metric of this run used one
        // A chart title wider than the chart (the replay file's long path) is shortened to fit, its whole text a tooltip.
        for (WebElement t : browser.findElements(By.cssSelector("svg text.chart-title"))) {
            int svgWidth = t.findElement(By.xpath("ancestor::*[local-name()='svg']")).getSize().getWidth();
            assertThat(t.getSize().getWidth()).as(t.getText()).isLessThanOrEqualTo(svgWidth);
        }
        shot("viewer-run");

        browser.findElement(By.id("samples")).click();
        assertThat(text(By.id("range"))).startsWith("records 1–8 of 8, page 1 of 1");
        assertThat(browser.findElements(By.cssSelector("#samples tr"))).hasSize(9);
        browser.findElement(By.linkText("1")).click();
        String id = text(By.tagName("h1")).replace("Sample ", "");
        assertThat(id).matches("q[1-8]");
        double expected = P[Integer.parseInt(id.substring(1)) - 1];
        assertThat(text(By.id("scores"))).contains("match_prob " + String.format(Locale.ROOT, "%.4f", expected));
        assertThat(text(By.id("record"))).contains("record 1 of 8");
        shot("viewer-sample");

        browser.findElement(By.id("run-link")).click();
        browser.findElement(By.cssSelector("#compare-with a[href$='b=" + runB + "']")).click();
        assertThat(text(By.tagName("h1"))).isEqualTo("Compare two runs");
        String side = text(By.id("side-by-side"));
        assertThat(side).contains("match_prob 0.6500").contains("0.6000").contains("-0.0500");
        assertThat(text(By.tagName("body"))).contains("Paired comparison: B − A");
        assertThat(charts(false)).as("the two rate charts, besides any distribution CDFs").isEqualTo(2);
        shot("viewer-compare");
    }

    @Test
    void pagesThroughARunWithPromptsAndModelOutput() throws IOException {
        browser.get(viewer.uri().toString());
        browser.findElement(By.linkText(synthetic)).click();
        assertThat(text(By.tagName("body"))).contains("No results.json yet");
        browser.findElement(By.id("samples")).click();
        browser.findElement(By.cssSelector("a[rel=next]")).click();
        assertThat(text(By.id("range"))).startsWith("records 21–40 of 45, page 2 of 3");
        shot("viewer-samples");
        browser.findElement(By.linkText("25")).click();
        assertThat(text(By.tagName("h1"))).isEqualTo("Sample item-25");
        // The conversation: the raw prompt split into its Human turn, the answer as the log-probabilities of the options.
        assertThat(text(By.cssSelector("#transcript .turn.user"))).contains("Is the following statement", "25");
        assertThat(text(By.cssSelector("#transcript .turn.assistant"))).contains("log-probabilities:", " Yes → -0.6", " No → -1.82");
        // The raw events, as logged, under "Every event" (closed, so read as text content).
        assertThat(raw(By.cssSelector("pre.prompt"))).contains("Human: Is the following statement", "25\n\nAssistant:");
        // log schema 2: a score call's continuations are its request, their log-probs its response, in order
        assertThat(raw(By.cssSelector("pre.request"))).contains("\" Yes\", \" No\"");
        assertThat(raw(By.cssSelector("pre.response"))).contains("\"logprobs\" : [ -0.6, -1.82 ]");
        browser.findElement(By.cssSelector("a[rel=next]")).click();
        assertThat(text(By.tagName("h1"))).isEqualTo("Sample item-26");
        shot("viewer-sample-calls");
        browser.get(viewer.uri().resolve("/runs/..%2F..%2Fetc%2Fpasswd").toString());
        assertThat(text(By.tagName("h1"))).isEqualTo("400 Bad request");
    }

    @Test
    void theReportRendersItsPlots() throws IOException {
        browser.get(viewer.uri().resolve("/runs/" + runA + "/report").toString());
        assertThat(browser.getTitle()).startsWith("Assay report: ");
        List<WebElement> bars = browser.findElements(By.cssSelector("svg rect"));
        assertThat(bars).isNotEmpty();
        // Drawn, not just present: the first plot has a real size on screen.
        WebElement svg = browser.findElement(By.tagName("svg"));
        assertThat(svg.getSize().getWidth()).isGreaterThan(400);
        assertThat(svg.getSize().getHeight()).isGreaterThan(100);
        shot("report");
    }

    private String text(By by) {
        return browser.findElement(by).getText();
    }

    /** An element's text whether or not it is shown (inside a closed details). */
    private String raw(By by) {
        return browser.findElement(by).getAttribute("textContent");
    }

    // ---- issue 21 item 8: samples filtered and sorted; a sample as a conversation with its tool calls and file diff ----

    @Test
    void samplesAreFilteredAndSortedByScoreGroupAndText() throws IOException {
        browser.get(viewer.uri().resolve("/runs/" + runA + "/samples").toString());
        // match_prob at least 0.7: items 4 (0.8), 5 (0.7), 6 (0.9), 7 (0.7), 8 (0.9) of P.
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("score"))).selectByValue("match_prob");
        browser.findElement(By.name("min")).sendKeys("0.7");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("sort"))).selectByValue("-score");
        browser.findElement(By.id("apply")).click();
        assertThat(text(By.id("range"))).startsWith("records 1–5 of 5 matching (of 8)");
        List<String> ids = browser.findElements(By.cssSelector("#samples tr td:nth-child(3)")).stream().map(WebElement::getText).toList();
        // Highest first; ties (0.9: q6, q8; 0.7: q5, q7) in log order, and the log is in completion order, so compare as sets.
        assertThat(ids).hasSize(5);
        assertThat(List.of(ids.get(0), ids.get(1))).containsExactlyInAnyOrder("q6", "q8");
        assertThat(ids.get(2)).isEqualTo("q4");
        assertThat(List.of(ids.get(3), ids.get(4))).containsExactlyInAnyOrder("q5", "q7");
        shot("viewer-samples-filtered");

        // Correctness on match_top (P > 0.5 is the top answer): items 3–8; in dataset beta (5–8) all four.
        browser.get(viewer.uri().resolve("/runs/" + runA + "/samples?score=match_top&correct=no").toString());
        assertThat(text(By.id("range"))).startsWith("records 1–2 of 2 matching");
        browser.get(viewer.uri().resolve("/runs/" + runA + "/samples?group=dataset%3Dbeta&score=match_top&correct=yes").toString());
        assertThat(text(By.id("range"))).startsWith("records 1–4 of 4 matching");
        browser.get(viewer.uri().resolve("/runs/" + runA + "/samples?method=generative").toString());
        assertThat(text(By.id("range"))).startsWith("records 0–0 of 0 matching");
        browser.get(viewer.uri().resolve("/runs/" + runA + "/samples?error=yes").toString());
        assertThat(text(By.id("range"))).startsWith("records 0–0 of 0 matching");
        // Free text over the record; paging keeps the filter.
        browser.get(viewer.uri().resolve("/runs/" + synthetic + "/samples?q=item-1&size=5").toString());
        // item-1, item-10 … item-19: 11 records.
        assertThat(text(By.id("range"))).startsWith("records 1–5 of 11 matching (of 45), page 1 of 3");
        browser.findElement(By.cssSelector("a[rel=next]")).click();
        assertThat(text(By.id("range"))).startsWith("records 6–10 of 11 matching");
        assertThat(browser.findElement(By.name("q")).getAttribute("value")).isEqualTo("item-1");
        browser.get(viewer.uri().resolve("/runs/" + runA + "/samples?sort=sideways").toString());
        assertThat(text(By.tagName("h1"))).isEqualTo("400 Bad request");
    }

    @Test
    void anAgentEpisodeReadsAsAConversationWithCommandsOutputsAndTheFileDiff() throws IOException {
        String run = agentRun(new RunStore(dir.resolve("store")));
        browser.get(viewer.uri().resolve("/runs/" + run + "/samples/1").toString());
        assertThat(text(By.tagName("h1"))).isEqualTo("Sample task-1");
        // The item first: its target and metadata as a table, not JSON.
        assertThat(text(By.id("item"))).contains("target make the tests pass", "difficulty easy");
        assertThat(text(By.id("transcript-counts"))).contains("2 model call(s), 1 tool call(s)");
        List<String> turns = browser.findElements(By.cssSelector("#transcript .turn")).stream().map(WebElement::getText).toList();
        // system, user, the reply asking for a tool, the command, its output, the second call adding nothing new but its reply, the files.
        assertThat(turns.get(0)).startsWith("system").contains("You are a coding agent.");
        assertThat(turns.get(1)).startsWith("user").contains("Make the tests pass.");
        assertThat(turns.get(2)).startsWith("model · generate").contains("Let me look.");
        assertThat(turns.get(3)).startsWith("tool call · bash").contains("$ cat tests/test_score.py");
        assertThat(turns.get(4)).startsWith("tool result · bash · exit 1").contains("assert score() == 1", "[stderr]", "FAILED");
        assertThat(turns.get(5)).startsWith("model · generate").contains("I replaced the test.");
        assertThat(turns.get(6)).startsWith("sandbox · final files: 2 changed, 3 unchanged");
        assertThat(turns).hasSize(7); // the second prompt's repeated turns are not drawn again
        String diff = text(By.cssSelector("pre.diff"));
        assertThat(diff).contains("-assert score() == 1", "+assert True", " from app import score");
        assertThat(browser.findElements(By.cssSelector("pre.diff .del"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("pre.diff .add"))).hasSize(2); // the changed line, and the added file's one line
        shot("viewer-agent-sample");
    }

    /** A one-sample agent run: a chat with a tool call, its result, a final reply and a snapshot that rewrote the test. */
    static String agentRun(RunStore store) throws IOException {
        Path d = store.newRunDir();
        String id = d.getFileName().toString();
        var spec = new dev.assay.run.RunSpec(List.of("file:tasks.jsonl"), "replay/agent.jsonl", Map.of(), 0, 1, 1, null, 1, List.of(), Map.of());
        RunStore.writeJson(d.resolve(RunStore.HEADER), new dev.assay.run.RunHeader(id, dev.assay.run.RunHeader.now(), spec, Map.of(), Map.of(),
                List.of(new dev.assay.run.RunHeader.SuiteInfo("file:tasks.jsonl", 1, Map.of()))));
        var system = Map.<String, Object>of("role", "system", "content", "You are a coding agent.");
        var user = Map.<String, Object>of("role", "user", "content", "Make the tests pass.");
        var asked = Map.<String, Object>of("role", "assistant", "content", "Let me look.");
        var toolMsg = Map.<String, Object>of("role", "tool", "content", "assert score() == 1");
        var call1 = new dev.assay.event.ModelCall("model", "agent", dev.assay.event.Origin.SOLVER, "generate", spec.model(),
                Map.of("messages", List.of(system, user), "prefill", ""), Map.of(),
                Map.of("text", "Let me look.", "tool_calls", List.of(Map.of("id", "c1", "name", "bash"))), 20, 5, 3, false, null);
        var toolCall = new dev.assay.event.ToolCall("agent", "c1", "bash", Map.of("command", "cat tests/test_score.py"));
        var toolResult = new dev.assay.event.ToolResult("agent", "c1", "bash", "from app import score\nassert score() == 1\n",
                "FAILED tests/test_score.py", 1, true, null, 12);
        var call2 = new dev.assay.event.ModelCall("model", "agent", dev.assay.event.Origin.SOLVER, "generate", spec.model(),
                Map.of("messages", List.of(system, user, asked, toolMsg), "prefill", ""), Map.of(),
                Map.of("text", "I replaced the test."), 40, 6, 3, false, null);
        var snapshot = new dev.assay.event.SandboxSnapshot("agent", new dev.assay.sandbox.Snapshot(List.of(
                new dev.assay.sandbox.FileChange("tests/test_score.py", dev.assay.sandbox.FileChange.Change.MODIFIED, "file", 34, "ab", "644",
                        "from app import score\nassert True\n", null, "from app import score\nassert score() == 1\n"),
                new dev.assay.sandbox.FileChange("notes.txt", dev.assay.sandbox.FileChange.Change.ADDED, "file", 5, "cd", "644", "done\n", null, null)),
                3, 200));
        var r = new dev.assay.run.SampleRecord("file:tasks.jsonl", "task-1", 1, 1, "generative", "make the tests pass",
                Map.of("difficulty", "easy"), List.of(call1, toolCall, toolResult, call2, snapshot), Map.of(), Map.of("includes", 0.0), null, 30);
        Files.writeString(d.resolve(RunStore.SAMPLES), dev.assay.run.Json.MAPPER.writeValueAsString(r) + "\n");
        store.index().put(new dev.assay.run.RunIndex.Entry(id, dev.assay.run.RunHeader.now(), "complete", spec.model(), "file:tasks.jsonl",
                1, 1, 0, d.toString(), ""));
        return id;
    }

    /** A full-page screenshot: the window is stretched to the page's height first. */
    private void shot(String name) throws IOException {
        Object h = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(1280, Math.min(6000, Math.max(800, ((Number) h).intValue() + 40))));
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), shots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        browser.manage().window().setSize(new Dimension(1280, 1600));
    }
}
