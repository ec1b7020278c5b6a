package dev.assay.sandbox.bwrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads one stream of the driver up to a marker ("\nTOKEN " on stdout, followed by the status and a newline;
 * "\nTOKEN\n" on stderr), keeping at most {@code cap} bytes of what came before it. Going past the cap calls
 * {@code onOverflow} once (the sandbox then kills the command) and keeps draining until the marker.
 * Anything after the marker in the same read (output of a background process) is dropped.
 */
final class Capture implements Runnable {
    private static final int CHUNK = 32 * 1024;

    private final InputStream in;
    private final byte[] marker;
    private final boolean statusLine;
    private final long cap;
    private final Runnable onOverflow;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long total;
    private boolean overflowed;
    private volatile boolean found;
    private int status;
    private volatile IOException error;

    Capture(InputStream in, String marker, boolean statusLine, long cap, Runnable onOverflow) {
        this.in = in;
        this.marker = marker.getBytes(StandardCharsets.US_ASCII);
        this.statusLine = statusLine;
        this.cap = cap;
        this.onOverflow = onOverflow;
    }

    @Override
    public void run() {
        try {
            read();
        } catch (IOException e) {
            error = e;
        }
    }

    private void read() throws IOException {
        int m = marker.length;
        byte[] buf = new byte[m + CHUNK];
        int have = 0; // bytes at the front of buf not yet known to be content (could start the marker)
        while (true) {
            int n = in.read(buf, have, CHUNK);
            if (n < 0) return; // EOF before the marker: the sandbox ended
            int len = have + n;
            int at = indexOf(buf, len);
            if (at >= 0) {
                content(buf, 0, at);
                if (statusLine) readStatus(buf, at + m, len);
                found = true;
                return;
            }
            int keep = Math.min(len, m - 1);
            content(buf, 0, len - keep);
            System.arraycopy(buf, len - keep, buf, 0, keep);
            have = keep;
        }
    }

    /** The decimal status after the marker, up to a newline, reading more if needed. */
    private void readStatus(byte[] buf, int from, int len) throws IOException {
        int s = 0;
        int i = from;
        while (true) {
            for (; i < len; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    status = s;
                    return;
                }
                if (b < '0' || b > '9') throw new IOException("bad status byte from the sandbox driver: " + b);
                s = s * 10 + (b - '0');
                if (s > 1_000_000) throw new IOException("bad status from the sandbox driver");
            }
            int n = in.read(buf, 0, Math.min(buf.length, 64));
            if (n < 0) throw new IOException("sandbox ended while reporting a status");
            i = 0;
            len = n;
        }
    }

    private int indexOf(byte[] b, int len) {
        byte first = marker[0];
        outer:
        for (int i = 0, last = len - marker.length; i <= last; i++) {
            if (b[i] != first) continue;
            for (int j = 1; j < marker.length; j++) if (b[i + j] != marker[j]) continue outer;
            return i;
        }
        return -1;
    }

    private void content(byte[] b, int off, int len) {
        if (len <= 0) return;
        long room = cap - kept.size();
        if (room > 0) kept.write(b, off, (int) Math.min(room, len));
        total += len;
        if (total > cap && !overflowed) {
            overflowed = true;
            onOverflow.run();
        }
    }

    boolean found() {
        return found;
    }

    IOException error() {
        return error;
    }

    int status() {
        return status;
    }

    boolean truncated() {
        return total > cap;
    }

    String text() {
        return kept.toString(StandardCharsets.UTF_8);
    }
}
