package dev.assay.bench;

import dev.assay.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small {@code assay bench store} on its own throwaway PostgreSQL cluster and the fake server: every scenario
 * records every sample, the table has a row per scenario and the last lines are the ones CI reads. (Speed targets
 * are judged on the full benchmark, never here.)
 */
class BenchStoreCommandTest {
    @Test
    void printsTheTableAndTheMachineReadableLastLines() {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "store", "--samples", "24",
                "--latency-ms", "20", "--batch-size", "4", "--workers", "1,4");
        assertThat(code).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.getFirst()).contains("store").contains("samples/s").contains("records");
        assertThat(out.toString()).containsPattern("(?m)^folder\\+sqlite\\s+single-process\\s+1\\s+24\\s.*\\s24$")
                .containsPattern("(?m)^postgresql\\s+single-process\\s+1\\s+24\\s.*\\s24$")
                .containsPattern("(?m)^postgresql\\s+workers\\s+4\\s+24\\s.*\\s24$");
        List<String> tail = lines.subList(lines.size() - 6, lines.size());
        assertThat(tail.get(0)).startsWith("folder_single_sps=");
        assertThat(tail.get(1)).startsWith("pg_single_sps=");
        assertThat(tail.get(2)).startsWith("pg_1_worker_sps=");
        assertThat(tail.get(3)).startsWith("pg_4_workers_sps=");
        assertThat(tail.get(4)).matches("speedup_4_vs_1=\\d+\\.\\d\\d");
        assertThat(tail.get(5)).matches("pg_vs_sqlite_single=\\d+\\.\\d\\d");
    }
}
