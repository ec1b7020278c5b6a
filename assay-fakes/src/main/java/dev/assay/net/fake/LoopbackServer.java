package dev.assay.net.fake;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP server on the host's loopback that writes {@link #GREETING} to every connection and counts them:
 * the target of the sandbox tests that check an episode cannot reach the host. The tests first connect
 * themselves ({@link #selfCheck()}), so "not reached" means the sandbox was stopped, not that nothing listened;
 * afterwards {@link #accepted()} says whether anything else got through.
 */
public final class LoopbackServer implements AutoCloseable {
    public static final String GREETING = "hello\n";
    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();

    public LoopbackServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("loopback-server").start(() -> {
            while (true) {
                try (Socket s = server.accept()) {
                    accepted.incrementAndGet();
                    s.getOutputStream().write(GREETING.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    return; // closed
                }
            }
        });
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connects from the host and returns what the server wrote: {@link #GREETING} when it is really up. */
    public String selfCheck() throws IOException {
        try (var s = new Socket(InetAddress.getLoopbackAddress(), port())) {
            return new String(s.getInputStream().readNBytes(GREETING.length()), StandardCharsets.US_ASCII);
        }
    }

    /** Connections accepted so far, the self-checks included. */
    public int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
