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
        assertThat(text(By.cssSelector("pre.prompt"))).contains("Human: Is the following statement", "25\n\nAssistant:");
        // log schema 2: a score call's continuations are its request, their log-probs its response, in order
        assertThat(text(By.cssSelector("pre.request"))).contains("\" Yes\", \" No\"");
        assertThat(text(By.cssSelector("pre.response"))).contains("\"logprobs\" : [ -0.6, -1.82 ]");
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

    /** A full-page screenshot: the window is stretched to the page's height first. */
    private void shot(String name) throws IOException {
        Object h = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(1280, Math.min(6000, Math.max(800, ((Number) h).intValue() + 40))));
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), shots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        browser.manage().window().setSize(new Dimension(1280, 1600));
    }
}
