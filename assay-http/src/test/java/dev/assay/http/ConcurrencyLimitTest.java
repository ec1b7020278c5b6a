package dev.assay.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConcurrencyLimitTest {
    static final long FAST = 1_000_000; // 1 ms

    @Test
    void growsByOneAndHalvesOncePerRoundTrip(@TempDir Path dir) throws Exception {
        var limit = new ConcurrencyLimit("http://e", 4, 1, 6, dir.resolve("c.jsonl"));
        for (int i = 0; i < 3; i++) {
            limit.acquire();
            limit.release(ConcurrencyLimit.Outcome.SUCCESS, FAST);
        }
        assertThat(limit.limit()).isEqualTo(6); // capped at max
        limit.acquire();
        limit.acquire();
        limit.release(ConcurrencyLimit.Outcome.OVERLOAD, 0);
        limit.release(ConcurrencyLimit.Outcome.OVERLOAD, 0); // same round trip: ignored
        assertThat(limit.limit()).isEqualTo(3);
        Thread.sleep(300);
        limit.acquire();
        limit.release(ConcurrencyLimit.Outcome.OVERLOAD, 0);
        assertThat(limit.limit()).isEqualTo(1);
        Thread.sleep(300);
        limit.acquire();
        limit.release(ConcurrencyLimit.Outcome.OVERLOAD, 0);
        assertThat(limit.limit()).isEqualTo(1); // never below min
        assertThat(limit.history()).extracting(ConcurrencyLimit.Change::limit).containsExactly(4, 5, 6, 3, 1);
        assertThat(Files.readAllLines(dir.resolve("c.jsonl"))).hasSize(5).last().asString().contains("\"limit\":1");
    }

    /** Issue 12 item 4: a few random 429s among successes leave the limit; a real excess cuts it once per window. */
    @Test
    void cutsOncePerRoundTripWindowToTheShareTheEndpointAccepted() throws Exception {
        var limit = new ConcurrencyLimit("e", 100, 1, 200, null);
        // 100 answers in one window, 5 of them 429: below the 10% share, noise — no cut.
        long epoch = 0;
        for (int i = 0; i < 100; i++) epoch = limit.acquire();
        for (int i = 0; i < 100; i++) {
            limit.release(i % 20 == 0 ? ConcurrencyLimit.Outcome.OVERLOAD : ConcurrencyLimit.Outcome.OTHER, 0, epoch);
        }
        Thread.sleep(60); // the window (at least 50 ms) ends with the next release
        limit.acquire();
        limit.release(ConcurrencyLimit.Outcome.OTHER, 0, epoch);
        assertThat(limit.limit()).isEqualTo(100);
        // A server capped at 60 answering 100 requests: 40 429s. One cut, to what it accepted (60).
        for (int i = 0; i < 100; i++) epoch = limit.acquire();
        for (int i = 0; i < 100; i++) {
            limit.release(i < 40 ? ConcurrencyLimit.Outcome.OVERLOAD : ConcurrencyLimit.Outcome.OTHER, 0, epoch);
        }
        Thread.sleep(60);
        limit.acquire();
        limit.release(ConcurrencyLimit.Outcome.OTHER, 0, epoch);
        // hand-worked: 40 overloads of 101 answers in the window, share 0.396; 100 × (1 − 0.396) = 60.4
        assertThat(limit.limit()).isEqualTo(60);
        // 429s of requests started before that cut come back in the next window: not counted again.
        for (int i = 0; i < 60; i++) limit.acquire();
        for (int i = 0; i < 60; i++) limit.release(ConcurrencyLimit.Outcome.OVERLOAD, 0, epoch);
        Thread.sleep(60);
        limit.acquire();
        limit.release(ConcurrencyLimit.Outcome.OTHER, 0, epoch);
        assertThat(limit.limit()).isEqualTo(60);
        // All turned away in a window of requests started since: halved at most.
        long now = 0;
        for (int i = 0; i < 60; i++) now = limit.acquire();
        for (int i = 0; i < 60; i++) limit.release(ConcurrencyLimit.Outcome.OVERLOAD, 0, now);
        Thread.sleep(60);
        limit.acquire();
        limit.release(ConcurrencyLimit.Outcome.OVERLOAD, 0, now);
        assertThat(limit.limit()).isEqualTo(30);
    }

    @Test
    void doesNotGrowWhileTheEndpointQueues() throws Exception {
        var limit = new ConcurrencyLimit("e", 2, 1, 100, null);
        limit.acquire();
        limit.release(ConcurrencyLimit.Outcome.SUCCESS, 10 * FAST); // the fastest yet: 10 ms
        assertThat(limit.limit()).isEqualTo(3);
        limit.acquire();
        limit.release(ConcurrencyLimit.Outcome.SUCCESS, 200 * FAST); // queueing: 20 times slower
        assertThat(limit.limit()).isEqualTo(3);
        limit.acquire();
        limit.release(ConcurrencyLimit.Outcome.OTHER, 0); // a 500 says nothing about load
        assertThat(limit.limit()).isEqualTo(3);
    }

    @Test
    void acquireBlocksAtTheLimitUntilARelease() throws Exception {
        var limit = new ConcurrencyLimit("e", 1, 1, 1, null);
        limit.acquire();
        var entered = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                limit.acquire();
                entered.countDown();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(entered.await(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(limit.inFlight()).isEqualTo(1);
        limit.release(ConcurrencyLimit.Outcome.SUCCESS, FAST);
        assertThat(entered.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(limit.peakInFlight()).isEqualTo(1);
    }

    @Test
    void rejectsImpossibleBounds() {
        assertThatThrownBy(() -> new ConcurrencyLimit("e", 0, 1, 4, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConcurrencyLimit("e", 8, 1, 4, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
