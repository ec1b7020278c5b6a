package dev.assay.cli;

import dev.assay.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 6: the run store runs out of room mid-run. A real process under a file-size limit
 * ({@code ulimit -f}: writes past it fail with EFBIG, as ENOSPC does on a full disk; .ci runs the same on a
 * small tmpfs). Before the fix: exit 1 and a stack trace, the index "running" forever.
 */
class DiskFullTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskInterruptsWithOneLineAndTheRunResumes() throws Exception {
        int n = 10_000;
        StringBuilder items = new StringBuilder();
        StringBuilder replay = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            items.append("{\"input\": \"Say ").append(i).append("\", \"target\": \"").append(i).append("\"}\n");
            replay.append("{\"id\": \"items:").append(i).append("\", \"completion\": \"").append(i).append("\"}\n");
        }
        Path f = Files.writeString(dir.resolve("items.jsonl"), items.toString());
        Path r = Files.writeString(dir.resolve("replay.jsonl"), replay.toString());
        Path store = dir.resolve("runs");
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "ulimit -f 2048; exec \"$@\"", "assay"));
        cmd.addAll(AssayProcess.command("run", "file:" + f + "#target=target", "--model", "replay/" + r, "--out", store.toString()));
        var full = AssayProcess.finish(dir, "full", AssayProcess.start(dir, "full", cmd));

        assertThat(full.code()).as(full.err()).isEqualTo(ExitCode.INTERRUPTED.code());
        Path run;
        try (var s = Files.list(store)) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path log = run.resolve("samples.jsonl");
        List<String> errLines = full.err().lines().filter(l -> l.startsWith("assay:")).toList();
        assertThat(errLines).hasSize(1);
        assertThat(errLines.getFirst()).contains(log.toString(), "more needed", "assay run --resume " + run.getFileName());
        assertThat(full.err()).doesNotContain("Exception", "\tat ");
        var list = AssayProcess.run(dir, "list", "list", "runs", "--out", store.toString());
        String row = list.out().lines().filter(l -> l.startsWith(run.getFileName().toString())).findFirst().orElseThrow();
        assertThat(row).contains("interrupted");

        // With room again, resume finishes: every sample once, all correct.
        var resumed = AssayProcess.run(dir, "resume", "run", "--resume", run.getFileName().toString(), "--out", store.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("accuracy", "1.0000");
        Set<String> ids = new HashSet<>();
        for (String line : Files.readAllLines(log)) assertThat(ids.add(line.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"))).isTrue();
        assertThat(ids).hasSize(n);
    }
}
