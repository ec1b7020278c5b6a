package dev.assay.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The final tree of an episode against its fixture: every file added, modified (contents, type, mode or link
 * target) or removed, sorted by path, plus how many files were unchanged and the final tree's total bytes.
 * Directories are not listed (an empty directory leaves no trace). A plain value: the run log stores it.
 */
public record Snapshot(List<FileChange> changes, int unchangedFiles, long treeBytes) {

    /** Contents up to this many bytes are kept as text when they are UTF-8. */
    public static final int TEXT_LIMIT = 64 * 1024;

    public Snapshot {
        changes = List.copyOf(changes);
    }

    /** The change recorded for {@code path}, if any. */
    public java.util.Optional<FileChange> change(String path) {
        return changes.stream().filter(c -> c.path().equals(path)).findFirst();
    }

    /**
     * Compares {@code tree} with {@code fixture} (null: an empty fixture). Symlinks are never followed, so a
     * link inside the tree cannot make this read a file outside it; callers must make sure nothing changes
     * the tree while this runs.
     */
    public static Snapshot compare(Path fixture, Path tree) {
        Map<String, Entry> before = fixture == null ? Map.of() : scan(fixture);
        Map<String, Entry> after = scan(tree);
        List<FileChange> changes = new ArrayList<>();
        int unchanged = 0;
        long bytes = 0;
        for (var e : after.entrySet()) {
            Entry now = e.getValue();
            bytes += now.size;
            Entry was = before.get(e.getKey());
            if (was == null) changes.add(now.change(e.getKey(), FileChange.Change.ADDED, null));
            else if (was.sameAs(now)) unchanged++;
            else changes.add(now.change(e.getKey(), FileChange.Change.MODIFIED, was.text));
        }
        for (var e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) changes.add(e.getValue().change(e.getKey(), FileChange.Change.REMOVED, null));
        }
        changes.sort(java.util.Comparator.comparing(FileChange::path));
        return new Snapshot(changes, unchanged, bytes);
    }

    private record Entry(String type, long size, String sha256, String mode, String text, String linkTarget) {
        boolean sameAs(Entry o) {
            return type.equals(o.type) && size == o.size && sha256.equals(o.sha256) && mode.equals(o.mode)
                    && Objects.equals(linkTarget, o.linkTarget);
        }

        FileChange change(String path, FileChange.Change c, String fixtureText) {
            return new FileChange(path, c, type, size, sha256, mode, text, linkTarget, fixtureText);
        }
    }

    private static Map<String, Entry> scan(Path root) {
        Map<String, Entry> out = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String rel = relative(root, file);
                    try {
                        out.put(rel, entry(file));
                    } catch (NoSuchFileException gone) {
                        // removed between listing and reading: it is not in the final tree
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tree " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static String relative(Path root, Path file) {
        var sb = new StringBuilder();
        for (Path part : root.relativize(file)) {
            if (!sb.isEmpty()) sb.append('/');
            sb.append(part);
        }
        return sb.toString();
    }

    private static Entry entry(Path file) throws IOException {
        var attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String mode = mode(attrs.permissions());
        if (attrs.isSymbolicLink()) {
            String target = Files.readSymbolicLink(file).toString();
            byte[] b = target.getBytes(StandardCharsets.UTF_8);
            return new Entry("symlink", b.length, sha256(b), mode, null, target);
        }
        if (!attrs.isRegularFile()) return new Entry("other", 0, sha256(new byte[0]), mode, null, null);
        MessageDigest md = digest();
        var head = new java.io.ByteArrayOutputStream();
        long size = 0;
        // NOFOLLOW_LINKS: O_NOFOLLOW, so a file swapped for a link after the listing is not followed either.
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                if (size < TEXT_LIMIT + 1) head.write(buf, 0, (int) Math.min(n, TEXT_LIMIT + 1 - size));
                size += n;
            }
        }
        return new Entry("file", size, HexFormat.of().formatHex(md.digest()), mode,
                size <= TEXT_LIMIT ? text(head.toByteArray()) : null, null);
    }

    private static String text(byte[] b) {
        for (byte x : b) if (x == 0) return null;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String mode(Set<PosixFilePermission> p) {
        int m = 0;
        for (var x : p) m |= 1 << (8 - x.ordinal()); // OWNER_READ is ordinal 0 = bit 8 (0400)
        return Integer.toOctalString(m);
    }

    private static String sha256(byte[] b) {
        return HexFormat.of().formatHex(digest().digest(b));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
