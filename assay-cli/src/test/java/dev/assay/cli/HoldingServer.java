package dev.assay.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback OpenAI-compatible server (chat and legacy completions) that answers "Say N" with "N" and holds
 * every answer for N ≥ {@code holdFrom} until {@link #release()}, so a real assay process is reliably mid-run
 * (its lock taken, the first samples logged) while a test starts another or kills it. The writer-lock tests
 * of both stores (RunLockTest, PgRunLockTest) share it.
 */
final class HoldingServer implements AutoCloseable {
    private static final Pattern SAY = Pattern.compile("Say (\\d+)");
    private final HttpServer server;
    private final Object gate = new Object();
    private volatile boolean hold = true;
    private final AtomicInteger held = new AtomicInteger();

    HoldingServer(int holdFrom) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = SAY.matcher(body);
            String n = m.find() ? m.group(1) : "?";
            if (!n.equals("?") && Integer.parseInt(n) >= holdFrom) {
                held.incrementAndGet();
                synchronized (gate) {
                    while (hold) {
                        try {
                            gate.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                held.decrementAndGet();
            }
            String answer = ex.getRequestURI().getPath().endsWith("/chat/completions")
                    ? "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + n + "\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}"
                    : "{\"choices\":[{\"index\":0,\"text\":\"" + n + "\",\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}";
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    /** The base URL for {@code --model-base-url}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Requests being held right now. */
    int held() {
        return held.get();
    }

    /** Lets every held and later request through. */
    void release() {
        synchronized (gate) {
            hold = false;
            gate.notifyAll();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
