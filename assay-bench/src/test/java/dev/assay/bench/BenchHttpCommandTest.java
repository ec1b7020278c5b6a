package dev.assay.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BenchHttpCommandTest {

    record Result(int code, String out, String err) {
    }

    static Result run(Object command, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cli = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println(e.getMessage());
            return 2;
        });
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void benchPrintsATableAndMachineReadableLastLines() {
        var r = run(new BenchHttpCommand(), "--samples", "300", "--latency-ms", "0,50");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("samples/s").contains("inflight_peak");
        var lines = r.out().strip().lines().toList();
        assertThat(lines.get(lines.size() - 3)).matches("samples_per_s=\\d+");
        assertThat(lines.get(lines.size() - 2)).matches("inflight=\\d+");
        assertThat(lines.getLast()).matches("heap_mb=\\d+");
        assertThat(Integer.parseInt(lines.get(lines.size() - 3).split("=")[1])).isPositive();
    }

    @Test
    void benchWithFaultsPrintsTheRatioOfEachPolicyLast() {
        var r = run(new BenchHttpCommand(), "--faults", "0.2", "--seconds", "1", "--warmup-seconds", "0.5", "--stall-s", "30");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("policy", "adaptive", "legacy", "ratio");
        var lines = r.out().strip().lines().toList();
        assertThat(lines.get(lines.size() - 2)).matches("fault_ratio_legacy=\\d+\\.\\d{3}");
        assertThat(lines.getLast()).matches("fault_ratio=\\d+\\.\\d{3}");
    }

    @Test
    void heldForOneSecondIsTheBestSlidingMinimum() {
        assertThat(BenchHttpCommand.heldForOneSecond(List.of(1, 5, 6, 7, 2, 9, 9, 9), 3)).isEqualTo(9);
        assertThat(BenchHttpCommand.heldForOneSecond(List.of(1, 5, 6, 7, 2, 9, 9, 8), 3)).isEqualTo(8);
        assertThat(BenchHttpCommand.heldForOneSecond(List.of(4, 4), 3)).isZero();
    }
}
