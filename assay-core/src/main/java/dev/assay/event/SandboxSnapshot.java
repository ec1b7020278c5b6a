package dev.assay.event;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The files a sandbox episode changed, taken when it ended, so re-scoring never needs the sandbox again.
 *
 * @param files     every file added, modified or deleted, by path relative to the episode's tree
 * @param truncated more files changed than the snapshot keeps
 */
public record SandboxSnapshot(String step, List<FileChange> files, boolean truncated) implements Event {
    public static final String TYPE = "sandbox_snapshot";
    /** Contents are kept for text files up to this size; larger or binary files keep size and hash only. */
    public static final int MAX_TEXT_BYTES = 64 * 1024;

    public SandboxSnapshot {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /**
     * @param change "added", "modified" or "deleted"
     * @param text   the contents when the file is small valid UTF-8, else null
     * @param sha256 lower-case hex; null for a deleted file
     */
    public record FileChange(String path, String change, long size, String sha256, String text) {

        /** A changed or added file from its bytes: size, SHA-256, and the contents when small text. */
        public static FileChange of(String path, String change, byte[] bytes) {
            return new FileChange(path, change, bytes.length, sha256(bytes), smallText(bytes));
        }

        public static FileChange deleted(String path) {
            return new FileChange(path, "deleted", 0, null, null);
        }

        private static String smallText(byte[] bytes) {
            if (bytes.length > MAX_TEXT_BYTES) return null;
            try {
                String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
                return s.indexOf('\0') >= 0 ? null : s;
            } catch (CharacterCodingException e) {
                return null;
            }
        }

        private static String sha256(byte[] bytes) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
