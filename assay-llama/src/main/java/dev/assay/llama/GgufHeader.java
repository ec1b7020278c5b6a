package dev.assay.llama;

import dev.assay.AssayException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metadata and tensor directory of a GGUF file, read and bounds-checked in Java before llama.cpp sees
 * the file: llama.cpp trusts the header and can abort the whole process on a corrupt one, so every count,
 * length and tensor extent is checked against the file size here first.
 *
 * @param metadata  scalar and string values by key (arrays are summarised by their length)
 * @param tensors   tensor count
 * @param dataEnd   where the last tensor's data ends; the file must be at least this long
 */
public record GgufHeader(Path file, int version, Map<String, Object> metadata, long tensors, long dataEnd) {

    static final int MAGIC = 0x46554747; // "GGUF" little-endian

    public String architecture() {
        return metadata.get("general.architecture") instanceof String s ? s : "";
    }

    public String string(String key) {
        return metadata.get(key) instanceof String s ? s : null;
    }

    /** A whole-number value, or {@code fallback} if the key is absent or not a number. */
    public long number(String key, long fallback) {
        return metadata.get(key) instanceof Number n ? n.longValue() : fallback;
    }

    public static GgufHeader read(Path file) {
        if (!Files.exists(file)) {
            throw new AssayException("model file " + file + " does not exist. Give an existing .gguf file, "
                    + "or a known model name (assay models list).");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Reader(file, ch).read();
        } catch (NoSuchFileException e) {
            throw new AssayException("model file " + file + " does not exist.");
        } catch (IOException e) {
            throw new AssayException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static final class Reader {
        private final Path file;
        private final FileChannel ch;
        private final long size;
        private long pos;

        Reader(Path file, FileChannel ch) throws IOException {
            this.file = file;
            this.ch = ch;
            this.size = ch.size();
        }

        private AssayException bad(String what) {
            return new AssayException("model file " + file + " is not a valid GGUF file: " + what
                    + ". Re-download it (assay models rm NAME; assay models pull NAME) or give another .gguf file.");
        }

        private AssayException truncated() {
            return new AssayException("model file " + file + " is truncated (" + size + " bytes, the GGUF header "
                    + "says more). Re-download it (assay models rm NAME; assay models pull NAME).");
        }

        /** A window over the file, refilled as we go: the header is read without per-value allocation. */
        private final ByteBuffer window = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long windowStart = -1;

        private ByteBuffer need(int n) throws IOException {
            if (pos + n > size) throw truncated();
            if (n > window.capacity()) {
                ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
                while (b.hasRemaining()) {
                    if (ch.read(b, pos + b.position()) < 0) throw truncated();
                }
                pos += n;
                return b.flip();
            }
            if (windowStart < 0 || pos < windowStart || pos + n > windowStart + window.limit()) {
                window.clear();
                windowStart = pos;
                while (window.hasRemaining() && windowStart + window.position() < size) {
                    if (ch.read(window, windowStart + window.position()) < 0) break;
                }
                window.flip();
                if (window.limit() < n) throw truncated();
            }
            ByteBuffer b = window.slice((int) (pos - windowStart), n).order(ByteOrder.LITTLE_ENDIAN);
            pos += n;
            return b;
        }

        private void skipString() throws IOException {
            long n = u64();
            if (n < 0 || n > 64L << 20) throw bad("a string of length " + n + " at byte " + (pos - 8));
            if (pos + n > size) throw truncated();
            pos += n;
        }

        int u32() throws IOException { return need(4).getInt(); }
        long u64() throws IOException { return need(8).getLong(); }

        String str() throws IOException {
            long n = u64();
            if (n < 0 || n > 64L << 20) throw bad("a string of length " + n + " at byte " + (pos - 8));
            if (pos + n > size) throw truncated();
            ByteBuffer b = need((int) n);
            return StandardCharsets.UTF_8.decode(b).toString();
        }

        GgufHeader read() throws IOException {
            if (size < 24) {
                if (size >= 4 && need(4).getInt() != MAGIC) throw bad("it does not start with the GGUF magic");
                throw truncated();
            }
            if (u32() != MAGIC) throw bad("it does not start with the GGUF magic bytes");
            int version = u32();
            if (version < 2 || version > 3) throw bad("unsupported GGUF version " + version + " (2 and 3 are supported)");
            long nTensors = u64();
            long nKv = u64();
            if (nTensors < 0 || nTensors > 1_000_000 || nKv < 0 || nKv > 1_000_000) {
                throw bad("implausible counts (" + nTensors + " tensors, " + nKv + " metadata keys)");
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            for (long i = 0; i < nKv; i++) {
                String key = str();
                meta.put(key, value(u32()));
            }
            long alignment = meta.get("general.alignment") instanceof Number a ? a.longValue() : 32;
            if (alignment <= 0 || (alignment & (alignment - 1)) != 0) throw bad("bad general.alignment " + alignment);
            long maxEnd = 0;
            for (long i = 0; i < nTensors; i++) {
                String name = str();
                int nDims = u32();
                if (nDims < 1 || nDims > 4) throw bad("tensor " + name + " has " + nDims + " dimensions");
                long elements = 1;
                long ne0 = 0;
                for (int d = 0; d < nDims; d++) {
                    long ne = u64();
                    if (ne <= 0 || ne > 1L << 40) throw bad("tensor " + name + " has dimension " + ne);
                    if (d == 0) ne0 = ne;
                    elements = Math.multiplyExact(elements, ne);
                }
                int type = u32();
                long offset = u64();
                if (offset < 0 || offset % alignment != 0) throw bad("tensor " + name + " has offset " + offset);
                long bytes = GgmlType.bytes(type, elements, ne0);
                maxEnd = Math.max(maxEnd, offset + Math.max(bytes, 0));
            }
            long dataStart = (pos + alignment - 1) / alignment * alignment;
            long dataEnd = dataStart + maxEnd;
            if (nTensors > 0 && dataEnd > size) throw truncated();
            return new GgufHeader(file, version, Map.copyOf(meta), nTensors, dataEnd);
        }

        private Object value(int type) throws IOException {
            return switch (type) {
                case 0, 1 -> (long) need(1).get();
                case 2, 3 -> (long) need(2).getShort();
                case 4 -> Integer.toUnsignedLong(u32());
                case 5 -> (long) u32();
                case 6 -> (double) need(4).getFloat();
                case 7 -> need(1).get() != 0;
                case 8 -> str();
                case 9 -> {
                    int elemType = u32();
                    long n = u64();
                    if (n < 0 || n > 100_000_000) throw bad("an array of length " + n);
                    int fixed = switch (elemType) {
                        case 0, 1, 7 -> 1;
                        case 2, 3 -> 2;
                        case 4, 5, 6 -> 4;
                        case 10, 11, 12 -> 8;
                        default -> -1;
                    };
                    if (fixed > 0) {
                        if (pos + n * fixed > size) throw truncated();
                        pos += n * fixed;
                    } else if (elemType == 8) {
                        for (long i = 0; i < n; i++) skipString();
                    } else {
                        for (long i = 0; i < n; i++) value(elemType);
                    }
                    yield n; // arrays (vocabularies, merges) are not needed in Java; their length is
                }
                case 10, 11 -> u64();
                case 12 -> need(8).getDouble();
                default -> throw bad("unknown metadata value type " + type + " at byte " + (pos - 4));
            };
        }
    }
}
