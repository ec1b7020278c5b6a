package dev.assay.sandbox;

/**
 * One file of the final tree that differs from the fixture. {@code path} is relative to the tree root with
 * '/' separators; {@code type} is "file", "symlink" or "other" (a fifo or socket). For a removed file the
 * other fields describe the fixture's version. {@code sha256} (hex) and {@code size} are of the contents
 * (of the link target string for a symlink); {@code text} holds the contents when they are valid UTF-8
 * without NUL bytes and at most {@link Snapshot#TEXT_LIMIT} bytes, else null; {@code linkTarget} is a
 * symlink's target (never followed), else null; {@code mode} is the permission bits in octal ("644").
 * {@code fixtureText} is, for a modified file, the fixture's contents under the same rule as {@code text}
 * (null otherwise), so a file's diff can be shown from the log alone, without the fixture.
 */
public record FileChange(String path, Change change, String type, long size, String sha256, String mode,
                         String text, String linkTarget, String fixtureText) {

    public enum Change { ADDED, MODIFIED, REMOVED }
}
