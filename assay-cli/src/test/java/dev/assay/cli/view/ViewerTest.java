package dev.assay.cli.view;

import dev.assay.cli.report.RunFixtures;
import dev.assay.run.RunStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ViewerTest {
    static final double[] P = {0.2, 0.4, 0.6, 0.8, 0.7, 0.9, 0.7, 0.9};
    static final double[] Q = {0.6, 0.4, 0.6, 0.8, 0.7, 0.9, 0.7, 0.1};
    @TempDir
    Path dir;
    Path storeDir;
    String runA;
    String runB;
    Viewer viewer;

    @BeforeEach
    void setUp() throws Exception {
        storeDir = dir.resolve("store");
        RunFixtures fixtures = new RunFixtures(dir);
        runA = fixtures.run(storeDir, P, Map.of()).id();
        runB = fixtures.run(storeDir, Q, Map.of()).id();
        Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-OUTSIDE");
        Files.writeString(storeDir.resolve("notes.txt"), "SECRET-INSIDE-STORE");
        viewer = Viewer.start(new RunStore(storeDir), 0);
    }

    @AfterEach
    void tearDown() {
        viewer.close();
    }

    record Response(int status, String body) {
    }

    /** A raw HTTP/1.1 request, so that the path reaches the server exactly as written (no client-side normalising). */
    Response get(String rawPath) throws IOException {
        return get(rawPath, "127.0.0.1:" + viewer.address().getPort());
    }

    Response get(String rawPath, String host) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", viewer.address().getPort()), 5000);
            s.setSoTimeout(10_000);
            OutputStream o = s.getOutputStream();
            o.write(("GET " + rawPath + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            return new Response(status, text.substring(text.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    void listensOnTheIpv4LoopbackAddressOnly() {
        InetSocketAddress a = viewer.address();
        assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(a.getAddress().isLoopbackAddress()).isTrue();
        assertThat(a.getAddress().isAnyLocalAddress()).isFalse();
        assertThat(viewer.uri().toString()).isEqualTo("http://127.0.0.1:" + a.getPort() + "/");
    }

    @Test
    void requestsForOtherHostNamesAreRefused() throws IOException {
        int port = viewer.address().getPort();
        assertThat(get("/", "localhost:" + port).status()).isEqualTo(200);
        Response rebound = get("/runs/" + runA, "evil.example:" + port);
        assertThat(rebound.status()).isEqualTo(400);
        assertThat(rebound.body()).contains("evil.example").doesNotContain(runA + "</h1>");
    }

    @Test
    void pathTraversalIsRejectedInEveryEncoding() throws IOException {
        String[] malformed = {
                "/runs/../notes.txt", "/runs/..", "/runs/%2e%2e", "/runs/%2E%2E/samples", "/runs/..%2f..%2fsecret.txt",
                "/runs/..%2F..%2Fsecret.txt", "/runs/%2e%2e%2f%2e%2e%2fsecret.txt", "/runs/..%5c..%5csecret.txt",
                "/runs/%252e%252e%252fsecret.txt", "/runs/.%2e/samples/1", "/runs/" + runA + "/..%2f..%2fnotes.txt",
                "/runs/" + runA + "%2f..%2f..%2fsecret.txt", "/runs/%00", "/runs/a%zz", "/compare?a=..%2fsecret.txt&b=" + runA,
                "/compare?a=" + runA + "&b=../" + runB, "/runs/./" + runA,
        };
        for (String path : malformed) {
            Response r = get(path);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.body()).as(path).containsIgnoringCase("400 Bad request").doesNotContain("SECRET");
        }
        String[] missing = {"/runs/notes.txt", "/runs/index.sqlite", "/runs/20990101-000000-dead", "/etc/passwd",
                "/runs/" + runA + "/header.json", "/runs/" + runA + "/samples/99", "/runs/" + runA + "/samples?page=2"};
        for (String path : missing) {
            Response r = get(path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).contains("404 Not found").doesNotContain("SECRET");
        }
        assertThat(get("/runs/" + runA + "/samples?page=abc").status()).isEqualTo(400);
        assertThat(get("/runs/" + runA + "/samples?page=0").status()).isEqualTo(400);
        assertThat(get("/compare?a=" + runA).status()).isEqualTo(400);
    }

    @Test
    void pagesShowRunsSamplesAndComparisons() throws IOException {
        Response list = get("/");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("2 of 2 runs shown", "href=\"/runs/" + runA + "\"", "href=\"/runs/" + runB + "\"");
        assertThat(get("/?q=nomatch").body()).contains("0 of 2 runs shown");

        Response run = get("/runs/" + runA);
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.body()).contains("Samples (8 records)", "<svg", "match_prob", "/compare?a=" + runA + "&amp;b=" + runB);

        Response page = get("/runs/" + runA + "/samples?size=3&page=3");
        assertThat(page.body()).contains("records 7–8 of 8, page 3 of 3", "/samples/7\"", "/samples/8\"").doesNotContain("/samples/6\"");
        // A page typed into the pager's form keeps the page size and the filter (hidden fields).
        Response filtered = get("/runs/" + runA + "/samples?size=3&q=q&page=1");
        assertThat(filtered.body()).contains("go to page <input type=\"number\" name=\"page\"",
                "<input type=\"hidden\" name=\"q\" value=\"q\"/>", "<input type=\"hidden\" name=\"size\" value=\"3\"/>");

        Response sample = get("/runs/" + runA + "/samples/1");
        assertThat(sample.status()).isEqualTo(200);
        assertThat(sample.body()).contains("Sample q", "record</th><td>1 of 8", "1 model call(s)", "Model call — role model", "<pre class=\"prompt\">", "<div id=\"transcript\">", "<table id=\"item\">", "<table id=\"scores\"");

        Response compare = get("/compare?a=" + runA + "&b=" + runB);
        assertThat(compare.status()).isEqualTo(200);
        // Item 1: 0.2 → 0.6, item 8: 0.9 → 0.1; so match_prob's mean moves by (0.4 − 0.8) / 8 = −0.05.
        assertThat(compare.body()).contains("Paired comparison: B − A", "Metrics side by side", "−0.0500".replace('−', '-'));
        assertThat(get("/runs/" + runA + "/report").body()).contains("Assay report:");
    }
}
