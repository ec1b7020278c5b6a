package dev.assay.store.queue;

import dev.assay.store.fake.PostgresCluster;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue's guarantees on a real PostgreSQL (the throwaway cluster): claims are exclusive under concurrency,
 * an expired lease is claimed again and its old holder learns it lost it, a heartbeat keeps a lease, and exactly
 * one of many racing finishers wins a run's results, and only once every batch is done.
 */
class WorkQueueTest {
    static PostgresCluster pg;
    static String url;

    @BeforeAll
    static void migrate() {
        pg = PostgresCluster.shared();
        String db = pg.newDatabase("queue");
        url = "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + db;
        Flyway.configure().dataSource(url, pg.user(), pg.password()).locations("classpath:db/assay").table("assay_schema_history").load().migrate();
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(url, pg.user(), pg.password());
    }

    static List<WorkQueue.Unit> units(int n) {
        List<WorkQueue.Unit> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new WorkQueue.Unit("s", "item:" + i, 1 + i % 2));
        return out;
    }

    static void enqueue(String run, int n, int batch) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            WorkQueue.enqueue(c, run, units(n), batch);
            c.commit();
        }
    }

    @Test
    void eightWorkersClaimEveryBatchExactlyOnce() throws Exception {
        enqueue("r-exclusive", 203, 5); // 41 batches, the last of 3
        Map<Integer, String> owner = new ConcurrentHashMap<>();
        AtomicInteger units = new AtomicInteger();
        AtomicInteger doubles = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int w = 0; w < 8; w++) {
                String me = "w" + w;
                pool.submit(() -> {
                    go.await();
                    try (Connection c = connect()) {
                        while (true) {
                            Optional<WorkQueue.Lease> l = WorkQueue.claim(c, me, Duration.ofSeconds(30));
                            if (l.isEmpty()) break;
                            if (!l.get().runId().equals("r-exclusive")) continue;
                            if (owner.putIfAbsent(l.get().batch(), me) != null) doubles.incrementAndGet();
                            units.addAndGet(l.get().units().size());
                            WorkQueue.complete(c, l.get());
                        }
                    }
                    return null;
                });
            }
            go.countDown();
        }
        assertThat(doubles).hasValue(0);
        assertThat(owner).hasSize(41);
        assertThat(units).hasValue(203);
        try (Connection c = connect()) {
            var p = WorkQueue.progress(c, "r-exclusive").orElseThrow();
            assertThat(p.done()).isEqualTo(41);
            assertThat(p.queued() + p.leased() + p.expired()).isZero();
            assertThat(p.units()).isEqualTo(203);
        }
    }

    @Test
    void anExpiredLeaseIsClaimedAgainAndItsHolderLearnsItLostIt() throws Exception {
        enqueue("r-expire", 4, 4);
        try (Connection c = connect()) {
            WorkQueue.Lease first = claimOf(c, "r-expire", "dead", Duration.ofMillis(300));
            assertThat(first.attempt()).isEqualTo(1);
            // Before the lease ends nobody else gets it.
            assertThat(claimOf(c, "r-expire", "live", Duration.ofSeconds(30))).isNull();
            Thread.sleep(500);
            assertThat(WorkQueue.progress(c, "r-expire").orElseThrow().expired()).isEqualTo(1);
            WorkQueue.Lease second = claimOf(c, "r-expire", "live", Duration.ofSeconds(30));
            assertThat(second.batch()).isEqualTo(first.batch());
            assertThat(second.attempt()).isEqualTo(2);
            assertThat(second.units()).isEqualTo(first.units());
            assertThat(WorkQueue.extend(c, first, Duration.ofSeconds(30))).as("the dead holder's heartbeat").isFalse();
            WorkQueue.release(c, first, "stale release"); // not its lease any more: no effect
            assertThat(WorkQueue.extend(c, second, Duration.ofSeconds(30))).isTrue();
        }
    }

    @Test
    void aHeartbeatKeepsTheLease() throws Exception {
        enqueue("r-beat", 2, 2);
        try (Connection c = connect()) {
            WorkQueue.Lease l = claimOf(c, "r-beat", "beating", Duration.ofMillis(400));
            for (int i = 0; i < 8; i++) {
                Thread.sleep(150);
                assertThat(WorkQueue.extend(c, l, Duration.ofMillis(400))).isTrue();
                assertThat(claimOf(c, "r-beat", "thief", Duration.ofSeconds(30))).isNull();
            }
        }
    }

    @Test
    void aReleasedBatchGoesBackAtOnceWithItsReason() throws Exception {
        enqueue("r-release", 3, 3);
        try (Connection c = connect()) {
            WorkQueue.Lease l = claimOf(c, "r-release", "quitter", Duration.ofSeconds(30));
            WorkQueue.release(c, l, "openai-compatible/x: connection refused");
            var p = WorkQueue.progress(c, "r-release").orElseThrow();
            assertThat(p.queued()).isEqualTo(1);
            assertThat(p.lastError()).contains("connection refused");
            assertThat(p.open().getFirst().lastError()).contains("connection refused");
            assertThat(claimOf(c, "r-release", "next", Duration.ofSeconds(30)).attempt()).isEqualTo(2);
        }
    }

    @Test
    void exactlyOneRacingFinisherWinsTheResultsAndOnlyOnceAllBatchesAreDone() throws Exception {
        enqueue("r-results", 16, 2); // 8 batches
        List<WorkQueue.Lease> leases = new ArrayList<>();
        try (Connection c = connect()) {
            for (int i = 0; i < 8; i++) leases.add(claimOf(c, "r-results", "w" + i, Duration.ofSeconds(30)));
            for (int i = 0; i < 7; i++) WorkQueue.complete(c, leases.get(i));
            assertThat(WorkQueue.claimResults(c, "r-results", "early", Duration.ofSeconds(30))).as("one batch still leased").isFalse();
            assertThat(WorkQueue.orphanedResults(c)).doesNotContain("r-results");
            WorkQueue.complete(c, leases.get(7));
        }
        AtomicInteger winners = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                String me = "finisher" + i;
                pool.submit(() -> {
                    try (Connection c = connect()) {
                        go.await();
                        if (WorkQueue.claimResults(c, "r-results", me, Duration.ofSeconds(30))) winners.incrementAndGet();
                    }
                    return null;
                });
            }
            go.countDown();
        }
        assertThat(winners).hasValue(1);
        try (Connection c = connect()) {
            // The winner dies before writing: once its lease passes the run is orphaned and another takes it over.
            assertThat(WorkQueue.orphanedResults(c)).doesNotContain("r-results");
            c.createStatement().execute("UPDATE work_runs SET results_until = now() - interval '1 second' WHERE run_id = 'r-results'");
            assertThat(WorkQueue.orphanedResults(c)).contains("r-results");
            assertThat(WorkQueue.claimResults(c, "r-results", "heir", Duration.ofSeconds(30))).isTrue();
            WorkQueue.resultsWritten(c, "r-results");
            assertThat(WorkQueue.claimResults(c, "r-results", "late", Duration.ofSeconds(30))).isFalse();
            assertThat(WorkQueue.orphanedResults(c)).doesNotContain("r-results");
            assertThat(WorkQueue.progress(c, "r-results").orElseThrow().resultsAt()).isNotNull();
        }
    }

    /** The next claimable batch of {@code run} for {@code owner} (batches of other tests' runs are given back), or null. */
    static WorkQueue.Lease claimOf(Connection c, String run, String owner, Duration lease) throws SQLException {
        List<WorkQueue.Lease> others = new ArrayList<>();
        try {
            while (true) {
                Optional<WorkQueue.Lease> l = WorkQueue.claim(c, owner, lease);
                if (l.isEmpty()) return null;
                if (l.get().runId().equals(run)) return l.get();
                others.add(l.get());
            }
        } finally {
            for (WorkQueue.Lease o : others) WorkQueue.release(c, o, null);
        }
    }
}
