package dev.assay.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotTest {

    @Test
    void listsWhatChangedAgainstTheFixture(@TempDir Path fixture, @TempDir Path tree) throws Exception {
        for (Path root : new Path[]{fixture, tree}) {
            Files.createDirectories(root.resolve("a/b"));
            Files.writeString(root.resolve("same.txt"), "same");
            Files.writeString(root.resolve("a/b/mode.sh"), "echo");
        }
        Files.writeString(fixture.resolve("gone.txt"), "abc");
        Files.writeString(tree.resolve("same.txt"), "same"); // rewritten with the same bytes: unchanged
        Files.setPosixFilePermissions(tree.resolve("a/b/mode.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.write(tree.resolve("a/latin1.txt"), new byte[]{'c', 'a', 'f', (byte) 0xe9}); // not UTF-8
        Files.writeString(tree.resolve("big.txt"), "x".repeat(Snapshot.TEXT_LIMIT + 1));
        Files.writeString(tree.resolve("abc.txt"), "abc");
        Files.createSymbolicLink(tree.resolve("out"), Path.of("/etc/passwd"));

        Snapshot s = Snapshot.compare(fixture, tree);

        assertThat(s.changes()).extracting(FileChange::path, FileChange::change).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a/b/mode.sh", FileChange.Change.MODIFIED),
                org.assertj.core.groups.Tuple.tuple("a/latin1.txt", FileChange.Change.ADDED),
                org.assertj.core.groups.Tuple.tuple("abc.txt", FileChange.Change.ADDED),
                org.assertj.core.groups.Tuple.tuple("big.txt", FileChange.Change.ADDED),
                org.assertj.core.groups.Tuple.tuple("gone.txt", FileChange.Change.REMOVED),
                org.assertj.core.groups.Tuple.tuple("out", FileChange.Change.ADDED));
        assertThat(s.unchangedFiles()).isEqualTo(1);
        // 4 (mode.sh) + 4 (latin1) + 3 (abc) + 65537 (big) + 4 (same) + 11 ("/etc/passwd", the link's target)
        assertThat(s.treeBytes()).isEqualTo(4 + 4 + 3 + 65_537 + 4 + 11);
        assertThat(s.change("a/b/mode.sh").orElseThrow().mode()).isEqualTo("750");
        // a modified file keeps the fixture's text too (for a diff from the log alone); other changes do not
        assertThat(s.change("a/b/mode.sh").orElseThrow().fixtureText()).isEqualTo("echo");
        assertThat(s.change("abc.txt").orElseThrow().fixtureText()).isNull();
        assertThat(s.change("a/latin1.txt").orElseThrow().text()).isNull();
        assertThat(s.change("big.txt").orElseThrow().text()).isNull();
        FileChange abc = s.change("abc.txt").orElseThrow();
        assertThat(abc.text()).isEqualTo("abc");
        // SHA-256("abc"), the FIPS 180-2 test vector
        assertThat(abc.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(s.change("gone.txt").orElseThrow().sha256()).isEqualTo(abc.sha256());
        FileChange link = s.change("out").orElseThrow();
        assertThat(link.type()).isEqualTo("symlink");
        assertThat(link.linkTarget()).isEqualTo("/etc/passwd");
        assertThat(link.text()).isNull();
    }

    @Test
    void anEmptyFixtureMakesEveryFileAddedAndTheSnapshotRoundTripsThroughJackson(@TempDir Path tree) throws Exception {
        Files.writeString(tree.resolve("f"), "hi\n");
        Snapshot s = Snapshot.compare(null, tree);
        assertThat(s.changes()).singleElement().satisfies(c -> {
            assertThat(c.change()).isEqualTo(FileChange.Change.ADDED);
            assertThat(c.size()).isEqualTo(3);
        });
        var json = new ObjectMapper();
        String text = json.writeValueAsString(s);
        assertThat(text).contains("\"change\":\"ADDED\"").contains("\"text\":\"hi\\n\"");
        assertThat(json.readValue(text, Snapshot.class)).isEqualTo(s);
        ExecResult r = new ExecResult("o", "e", 0, false, true, StopReason.OUTPUT, 5);
        assertThat(json.readValue(json.writeValueAsString(r), ExecResult.class)).isEqualTo(r);
    }
}
