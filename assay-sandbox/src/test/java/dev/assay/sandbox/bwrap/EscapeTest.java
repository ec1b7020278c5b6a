package dev.assay.sandbox.bwrap;

import dev.assay.net.fake.LoopbackServer;
import dev.assay.sandbox.ExecResult;
import dev.assay.sandbox.Limits;
import dev.assay.sandbox.Sandbox;
import dev.assay.sandbox.SandboxProvider;
import dev.assay.sandbox.StopReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands that really try to get out, each of which must fail: the outcome is asserted inside, and the host
 * is checked afterwards (its files, its listening socket, its process table, its disk).
 */
class EscapeTest {

    private static final SandboxProvider BWRAP = SandboxProvider.named("bwrap");

    private static Sandbox open(Limits limits) {
        return BWRAP.open(null, limits);
    }

    @Test
    void cannotReachALoopbackServerOnTheHostNorTheInternet() throws Exception {
        try (var server = new LoopbackServer()) {
            int port = server.port();
            // The server is real: the host itself reaches it.
            assertThat(server.selfCheck()).isEqualTo(LoopbackServer.GREETING);
            assertThat(server.accepted()).isEqualTo(1);
            try (Sandbox box = open(Limits.DEFAULT)) {
                ExecResult r = box.exec("exec 3<>/dev/tcp/127.0.0.1/" + port + " && echo CONNECTED && cat <&3");
                assertThat(r.stdout()).doesNotContain("CONNECTED").doesNotContain("hello");
                assertThat(r.exitCode()).isNotZero();
                assertThat(r.stderr()).contains("Connection refused");
                // Other loopback spellings and the internet (DNS by IP, HTTP) are unreachable too.
                for (String target : List.of("localhost/" + port, "127.0.0.2/" + port, "1.1.1.1/80", "8.8.8.8/53")) {
                    ExecResult t = box.exec("timeout 5 bash -c 'exec 3<>/dev/tcp/" + target + "' && echo CONNECTED");
                    assertThat(t.stdout()).as(target).doesNotContain("CONNECTED");
                    assertThat(t.exitCode()).as(target).isNotZero();
                }
                // Only a loopback interface exists, with no route anywhere.
                ExecResult ifs = box.exec("ls /sys/class/net 2>/dev/null || tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '");
                assertThat(ifs.stdout().strip()).isEqualTo("lo");
            }
            assertThat(server.accepted()).isEqualTo(1); // no connection ever came from the sandbox
        }
    }

    @Test
    void cannotReadFilesOutsideTheTree(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("assay-runs");
        Files.createDirectories(store);
        Path secret = Files.writeString(store.resolve("index.sqlite"), "TOPSECRET-RUN-STORE");
        Files.writeString(dir.resolve("key"), "TOPSECRET-KEY");
        Path home = Path.of(System.getProperty("user.home"));
        assertThat(Path.of("/etc/shadow")).exists(); // on the host it is there
        try (Sandbox box = open(Limits.DEFAULT)) {
            for (String path : List.of("/etc/shadow", secret.toString(), dir.resolve("key").toString(),
                    home.resolve(".bashrc").toString(), "/root/.ssh/id_rsa", "/proc/1/root/etc/shadow")) {
                ExecResult r = box.exec("cat '" + path + "'");
                assertThat(r.exitCode()).as(path).isNotZero();
                assertThat(r.stdout()).as(path).isEmpty();
            }
            // Nothing of them is mounted anywhere: search every file system inside except the read-only /usr.
            ExecResult grep = box.exec("grep -rIl TOPSECRET / --exclude-dir=usr --exclude-dir=proc --exclude-dir=sys 2>/dev/null; "
                    + "ls -d '" + home + "' '" + store + "' /home/* 2>&1");
            assertThat(grep.stdout()).doesNotContain("TOPSECRET").contains("No such file");
            assertThat(grep.stdout()).doesNotContain("/work"); // the secret did not land in the tree either
            // The environment is the sandbox's own: nothing inherited from the JVM (HOME, keys, CI variables).
            Set<String> keys = box.exec("env -0 | tr '\\0' '\\n' | cut -d= -f1").stdout().lines().collect(Collectors.toSet());
            assertThat(keys).isSubsetOf(Set.of("PATH", "HOME", "USER", "LANG", "TERM", "TMPDIR", "PWD", "SHLVL", "_"));
            assertThat(box.exec("echo $HOME").stdout()).isEqualTo("/work\n");
            // Only the sandbox's own processes are visible: the driver (pid 1) and this bash (a glob, no child).
            assertThat(box.exec("echo /proc/[0-9]*").stdout().split(" ")).hasSize(2).contains("/proc/1");
        }
    }

    @Test
    void cannotWriteOutsideTheTree(@TempDir Path dir) throws Exception {
        Path outside = dir.resolve("escaped");
        try (Sandbox box = open(Limits.DEFAULT)) {
            for (String path : List.of("/usr/escaped", "/etc/escaped", "/escaped", "/run/assay/driver.sh",
                    "/dev/escaped", outside.toString(), "/proc/1/root/usr/escaped")) {
                ExecResult r = box.exec("echo x > '" + path + "'");
                assertThat(r.exitCode()).as(path).isNotZero();
            }
            assertThat(box.exec("echo x > inside && cat inside").stdout()).isEqualTo("x\n");
        }
        assertThat(outside).doesNotExist();
        assertThat(Path.of("/usr/escaped")).doesNotExist();
        assertThat(Path.of("/etc/escaped")).doesNotExist();
        assertThat(Path.of("/escaped")).doesNotExist();
    }

    @Test
    void noProcessOutlivesClose() throws Exception {
        // Unique arguments, so the host's process table can be searched for them.
        long tag = 900_000 + (System.nanoTime() % 90_000);
        String[] sleeps = {"sleep " + tag, "sleep " + (tag + 1), "sleep " + (tag + 2)};
        Sandbox box = open(Limits.DEFAULT);
        try {
            ExecResult r = box.exec(sleeps[0] + " & setsid nohup " + sleeps[1] + " >/dev/null 2>&1 & "
                    + "( ( " + sleeps[2] + " & ) & ); trap '' TERM HUP; kill -9 1; kill -9 -1; echo started");
            assertThat(r.stdout()).isEqualTo("started\n");
            // The driver (pid 1) survived kill -9 1 and kill -9 -1 from inside; background jobs started after do run.
            box.exec(sleeps[0] + " & setsid nohup " + sleeps[1] + " >/dev/null 2>&1 & ( ( " + sleeps[2] + " & ) & )");
            long until = System.nanoTime() + 5_000_000_000L; // the double fork finishes after the command returns
            while (hostProcesses(sleeps).size() < 3 && System.nanoTime() < until) Thread.sleep(20);
            assertThat(hostProcesses(sleeps)).as("the sleeps run on the host before close").hasSize(3);
        } finally {
            box.close();
        }
        assertThat(hostProcesses(sleeps)).as("after close").isEmpty();
    }

    private static List<String> hostProcesses(String[] commands) {
        Set<String> wanted = Set.of(commands);
        return ProcessHandle.allProcesses().map(h -> h.info().commandLine().orElse(""))
                .filter(c -> wanted.stream().anyMatch(w -> c.endsWith(w))).toList();
    }

    @Test
    void aForkBombIsHeldToTheProcessLimitAndEndedByTheWallTime() throws Exception {
        Limits limits = Limits.DEFAULT.withProcesses(32).withWallTime(Duration.ofSeconds(4));
        try (Sandbox box = open(limits)) {
            long driver = ((BwrapSandbox) box).driverPid();
            var peak = new AtomicLong();
            var watching = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    ProcessHandle.of(driver).ifPresent(h -> peak.accumulateAndGet(h.descendants().count(), Math::max));
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            // Each copy waits for its children, so the population stays at the limit until the wall time.
            ExecResult r = box.exec("bomb() { bomb & bomb & wait; }; bomb 2>/dev/null");
            watching.interrupt();
            watching.join();
            assertThat(r.stopReason()).isEqualTo(StopReason.TIMEOUT);
            // Seen from the host: never more processes than the limit (the driver is not a descendant of itself).
            assertThat(peak.get()).isBetween(1L, 32L);
            // Everything was killed; the sandbox still works.
            ExecResult after = box.exec("echo alive /proc/[0-9]*");
            assertThat(after.stdout().strip().split(" ")).hasSize(3).startsWith("alive", "/proc/1");
            assertThat(ProcessHandle.of(driver).orElseThrow().descendants().count()).isZero();
        }
    }

    @Test
    void whenATimedOutCommandReturnsNothingItStartedIsLeft() {
        try (Sandbox box = open(Limits.DEFAULT)) {
            // A killed process is gone only once it has run its exit (freeing, here, 600 MB) and been reaped; on a
            // busy machine that comes after the command's own shell has been reaped, so an answer sent then left it
            // to be seen (CI saw 24 of a fork bomb's processes). Fails with the old driver under `taskset -c 0`
            // beside CPU-bound work.
            ExecResult r = box.exec("python3 -c 'b = b\"x\" * (600 << 20); import time; time.sleep(60)' & sleep 60 & wait",
                    Duration.ofSeconds(2));
            assertThat(r.stopReason()).isEqualTo(StopReason.TIMEOUT);
            assertThat(box.exec("echo /proc/[0-9]*").stdout().strip().split(" ")).hasSize(2).startsWith("/proc/1");
        }
    }

    @Test
    void fillingTheDiskStopsAtTheLimitAndTheHostDiskIsUntouched(@TempDir Path dir) throws Exception {
        long disk = 8L << 20;
        Limits limits = Limits.DEFAULT.withDiskBytes(disk).withFileSizeBytes(64L << 20);
        var hostStore = Files.getFileStore(dir);
        long freeBefore = hostStore.getUsableSpace();
        try (Sandbox box = open(limits)) {
            ExecResult big = box.exec("head -c 1G /dev/zero > big; echo rc=$?; stat -c %s big");
            assertThat(big.stderr()).contains("No space left on device");
            long size = Long.parseLong(big.stdout().lines().toList().get(1));
            assertThat(size).isLessThanOrEqualTo(disk);
            // Many small files, /tmp and /dev/shm: each is bounded too.
            ExecResult many = box.exec("rm big; for i in $(seq 3000); do printf '%4096s' x > f$i || break; done; "
                    + "find /work -type f -printf '%s\\n' | awk '{s += $1} END {print s}'; head -c 1G /dev/zero > /tmp/t; head -c 1G /dev/zero > /dev/shm/s; "
                    + "stat -c %s /tmp/t /dev/shm/s");
            List<String> lines = many.stdout().lines().toList();
            assertThat(Long.parseLong(lines.get(0))).isLessThanOrEqualTo(disk);
            assertThat(Long.parseLong(lines.get(1))).isLessThanOrEqualTo(disk);
            assertThat(Long.parseLong(lines.get(2))).isLessThanOrEqualTo(disk);
            // While the sandbox holds its full file systems, the host's disk has not lost the 2 GB asked for
            // (the margin allows for other work on the machine).
            assertThat(freeBefore - hostStore.getUsableSpace()).isLessThan(512L << 20);
        }
    }

    @Test
    void aFileLargerThanTheFileSizeLimitIsStopped() {
        try (Sandbox box = open(Limits.DEFAULT.withFileSizeBytes(1 << 20))) {
            ExecResult r = box.exec("head -c 5M /dev/zero > f");
            assertThat(r.stopReason()).isEqualTo(StopReason.FILE_SIZE);
            assertThat(r.exitCode()).isEqualTo(128 + 25);
            assertThat(box.exec("stat -c %s f").stdout()).isEqualTo((1 << 20) + "\n");
        }
    }

    @Test
    void printingGigabytesIsCappedAndRecordedAsTruncated() {
        long cap = 1 << 20;
        try (Sandbox box = open(Limits.DEFAULT.withOutputBytes(cap).withWallTime(Duration.ofSeconds(20)))) {
            ExecResult r = box.exec("head -c 4G /dev/zero | tr '\\0' y; echo never-reached >&2");
            assertThat(r.stopReason()).isEqualTo(StopReason.OUTPUT);
            assertThat(r.stdoutTruncated()).isTrue();
            assertThat(r.stdout()).hasSize((int) cap).matches("y+");
            // Stopped when the cap was passed (OUTPUT, not TIMEOUT at 20 s), not drained for 4 GB.
            assertThat(r.elapsedMillis()).isLessThan(15_000);
            ExecResult e = box.exec("yes error >&2");
            assertThat(e.stopReason()).isEqualTo(StopReason.OUTPUT);
            assertThat(e.stderrTruncated()).isTrue();
            assertThat(e.stderr()).hasSize((int) cap);
            assertThat(box.exec("echo still here").stdout()).isEqualTo("still here\n");
        }
    }

    @Test
    void runningPastTheWallTimeIsKilledEvenIfItIgnoresSignals() {
        try (Sandbox box = open(Limits.DEFAULT)) {
            // 3 s, not 1: on a loaded machine bash can take over a second to reach the trap, and a TERM before it
            // ends the command with 143, which is not what this test is about.
            ExecResult r = box.exec("trap '' TERM INT HUP; echo before; sleep 60; echo after", Duration.ofSeconds(3));
            assertThat(r.stopReason()).isEqualTo(StopReason.TIMEOUT);
            assertThat(r.stdout()).isEqualTo("before\n");
            assertThat(r.exitCode()).isEqualTo(128 + 9);
            assertThat(r.elapsedMillis()).isBetween(3_000L, 11_000L);
            assertThat(box.exec("echo next").stdout()).isEqualTo("next\n");
        }
    }

    @Test
    void cpuAndMemoryAreLimited() {
        try (Sandbox box = open(Limits.DEFAULT.withCpuTime(Duration.ofSeconds(1)).withMemoryBytes(64L << 20))) {
            ExecResult spin = box.exec("while :; do :; done", Duration.ofSeconds(20));
            assertThat(spin.stopReason()).isEqualTo(StopReason.CPU);
            assertThat(spin.elapsedMillis()).isLessThan(19_000); // by the CPU limit, before the wall time
            // 200 MB in one bash variable under a 64 MiB address-space limit: the allocation fails.
            ExecResult mem = box.exec("x=$(head -c 200M /dev/zero | tr '\\0' a); echo ${#x}", Duration.ofSeconds(20));
            assertThat(mem.exitCode()).isNotZero();
            assertThat(mem.stdout()).doesNotContain("209715200");
            assertThat(box.exec("echo ok").stdout()).isEqualTo("ok\n");
        }
    }

    @Test
    void aCommandThatStealsTheDriversInputCannotHideTheTree(@TempDir Path fixture) throws Exception {
        Files.writeString(fixture.resolve("reward.txt"), "0\n");
        try (Sandbox box = BWRAP.open(fixture, Limits.DEFAULT)) {
            // Tamper with the file, then try to read the driver's stdin (as root the pipe is the host's and
            // cannot be reopened; as a user it can, and the snapshot request may be stolen) and keep
            // rewriting the file (the snapshot must still see one still tree).
            ExecResult r = box.exec("echo 1 > reward.txt; (cat /proc/1/fd/0 > /dev/null 2>&1 &); "
                    + "(while :; do echo 2 > reward.txt; echo 1 > reward.txt; done &); sleep 0.5; echo ok");
            assertThat(r.stdout()).isEqualTo("ok\n");
            var s = box.snapshot();
            var reward = s.change("reward.txt").orElseThrow();
            assertThat(reward.text()).isIn("1\n", "2\n", "");
            // Whoever got the request, nothing runs any more: the tree read again is the same.
            assertThat(box.snapshot().change("reward.txt").orElseThrow().sha256()).isEqualTo(reward.sha256());

            // The host's own fallback (used when the driver does not answer) stops a running writer too.
            var sandbox = (BwrapSandbox) box;
            // Wait until the writer has written once: on a loaded machine the host's kill could otherwise come first.
            box.exec("(while :; do date +%N > clock.txt; done &); while [ ! -s clock.txt ]; do sleep 0.01; done");
            assertThat(ProcessHandle.of(sandbox.driverPid()).orElseThrow().descendants().count()).isPositive();
            sandbox.killAllFromHost();
            assertThat(ProcessHandle.of(sandbox.driverPid()).orElseThrow().descendants().count()).isZero();
            String first = box.snapshot().change("clock.txt").orElseThrow().sha256();
            Thread.sleep(100);
            assertThat(box.snapshot().change("clock.txt").orElseThrow().sha256()).isEqualTo(first);
        }
    }
}
