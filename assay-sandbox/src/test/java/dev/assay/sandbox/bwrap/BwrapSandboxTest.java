package dev.assay.sandbox.bwrap;

import dev.assay.AssayException;
import dev.assay.sandbox.ExecResult;
import dev.assay.sandbox.FileChange;
import dev.assay.sandbox.Limits;
import dev.assay.sandbox.Sandbox;
import dev.assay.sandbox.SandboxProvider;
import dev.assay.sandbox.Snapshot;
import dev.assay.sandbox.StopReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a sandbox does when nobody attacks it: commands, streams, exit codes, the fixture and the snapshot. */
class BwrapSandboxTest {

    private static final SandboxProvider BWRAP = SandboxProvider.named("bwrap");

    @Test
    void providerIsFoundThroughServiceLoader() {
        assertThat(BWRAP).isInstanceOf(BwrapProvider.class);
        BWRAP.check();
        assertThatThrownBy(() -> SandboxProvider.named("nope")).isInstanceOf(AssayException.class)
                .hasMessageContaining("known: bwrap");
    }

    @Test
    void missingBwrapIsExitTwoWithTheInstallCommand(@TempDir Path empty) {
        assertThatThrownBy(() -> BwrapProvider.Host.probe(List.of(empty.toString())))
                .isInstanceOfSatisfying(AssayException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("apt-get install -y bubblewrap");
    }

    @Test
    void runsBashWithSeparateStreamsAndExitCodes() {
        try (Sandbox box = BWRAP.open(null, Limits.DEFAULT)) {
            ExecResult r = box.exec("echo out; echo err >&2; printf 'no newline'; exit 3");
            assertThat(r.stdout()).isEqualTo("out\nno newline");
            assertThat(r.stderr()).isEqualTo("err\n");
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.stopReason()).isEqualTo(StopReason.EXITED);
            assertThat(r.stdoutTruncated()).isFalse();

            // A real bash, in the tree's root, as the sandbox user, with a minimal environment.
            ExecResult who = box.exec("echo $BASH_VERSION; pwd; id -un; echo $HOME");
            assertThat(who.ok()).isTrue();
            List<String> lines = who.stdout().lines().toList();
            assertThat(lines.get(0)).matches("\\d+\\.\\d+.*");
            assertThat(lines.subList(1, 4)).containsExactly("/work", "sandbox", "/work");

            // Each command is a fresh bash: cd does not carry over; files do.
            box.exec("mkdir d && cd d && echo hi > f");
            assertThat(box.exec("pwd; cat d/f").stdout()).isEqualTo("/work\nhi\n");

            // A command that looks like the protocol is just text; a signal death reports 128 + signal.
            assertThat(box.exec("printf '\\nx 1 2\\nk\\n'").stdout()).isEqualTo("\nx 1 2\nk\n");
            assertThat(box.exec("kill -SEGV $$").exitCode()).isEqualTo(128 + 11);
            String unicode = "héllo — ☃\n";
            assertThat(box.exec("cat <<'EOF'\n" + unicode + "EOF").stdout()).isEqualTo(unicode);
        }
    }

    @Test
    void theTreeStartsAsTheFixtureAndTheSnapshotRecordsEveryChange(@TempDir Path fixture) throws Exception {
        Files.writeString(fixture.resolve("keep.txt"), "unchanged\n");
        Files.writeString(fixture.resolve("edit.txt"), "before\n");
        Files.writeString(fixture.resolve("gone.txt"), "delete me\n");
        Files.createDirectories(fixture.resolve("sub/deeper"));
        Files.writeString(fixture.resolve("sub/deeper/run.sh"), "#!/bin/sh\necho ran\n");
        Files.setPosixFilePermissions(fixture.resolve("sub/deeper/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(fixture, PosixFilePermissions.fromString("rwx------")); // unreadable to nobody: copied by the host
        try (Sandbox box = BWRAP.open(fixture, Limits.DEFAULT)) {
            assertThat(box.exec("cat keep.txt; sub/deeper/run.sh").stdout()).isEqualTo("unchanged\nran\n");
            ExecResult r = box.exec("echo after > edit.txt; rm gone.txt; printf '\\x00\\xff' > bin.dat; "
                    + "ln -s /etc/shadow link; chmod 600 keep.txt; mkfifo pipe; sleep 300 &");
            assertThat(r.ok()).isTrue();
            Snapshot s = box.snapshot();
            assertThat(s.changes()).extracting(FileChange::path)
                    .containsExactly("bin.dat", "edit.txt", "gone.txt", "keep.txt", "link", "pipe");
            assertThat(s.unchangedFiles()).isEqualTo(1); // run.sh
            FileChange edit = s.change("edit.txt").orElseThrow();
            assertThat(edit.change()).isEqualTo(FileChange.Change.MODIFIED);
            assertThat(edit.text()).isEqualTo("after\n");
            assertThat(edit.sha256()).isEqualTo("7b9a72466d3960eb2aacccfc848939453490db0678bd4725def3f789b891c919"); // printf 'after\\n' | sha256sum
            FileChange bin = s.change("bin.dat").orElseThrow();
            assertThat(bin.change()).isEqualTo(FileChange.Change.ADDED);
            assertThat(bin.size()).isEqualTo(2);
            assertThat(bin.text()).isNull();
            assertThat(s.change("gone.txt").orElseThrow().change()).isEqualTo(FileChange.Change.REMOVED);
            assertThat(s.change("gone.txt").orElseThrow().text()).isEqualTo("delete me\n");
            assertThat(s.change("keep.txt").orElseThrow().mode()).isEqualTo("600");
            FileChange link = s.change("link").orElseThrow();
            assertThat(link.type()).isEqualTo("symlink");
            assertThat(link.linkTarget()).isEqualTo("/etc/shadow");
            assertThat(link.text()).isNull(); // never followed
            assertThat(s.change("pipe").orElseThrow().type()).isEqualTo("other");
            // The snapshot stopped the background sleep; the sandbox still runs commands.
            assertThat(box.exec("echo /proc/[0-9]*").stdout().split(" ")).hasSize(2); // the driver and this bash
        }
        // The fixture itself is untouched.
        assertThat(Files.readString(fixture.resolve("edit.txt"))).isEqualTo("before\n");
        assertThat(fixture.resolve("gone.txt")).exists();
    }

    @Test
    void manySandboxesAtOnce() throws Exception {
        int n = 48;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                results.add(pool.submit(() -> {
                    try (Sandbox box = BWRAP.open(null, Limits.DEFAULT)) {
                        box.exec("echo " + k + " > mine");
                        Thread.sleep(200); // all of them live at the same time
                        return box.exec("cat mine; hostname").stdout();
                    }
                }));
            }
            for (int i = 0; i < n; i++) assertThat(results.get(i).get()).isEqualTo(i + "\nsandbox\n");
        }
    }
}
