package dev.assay.organisms.export;

import dev.assay.AssayException;
import dev.assay.llama.GgufHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GGUF file's metadata and F32 tensors, read back in Java: what {@code Organism.load} needs to continue
 * training an exported organism. The file is first checked by assay-llama's {@link GgufHeader} (every count
 * and tensor extent against the file size), so a truncated or foreign file is an {@link AssayException}
 * naming it. Scalars and strings are kept; int32 arrays are kept (the organism's trained token ids); other
 * arrays (the vocabulary, merges) are skipped.
 */
public final class GgufTensors {
    /** A tensor's ggml dimensions (ne0 first: the contiguous row length), type and data offset. */
    public record Info(String name, long[] dims, int type, long offset) {
        public long elements() {
            long n = 1;
            for (long d : dims) n *= d;
            return n;
        }
    }

    private final Path file;
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final Map<String, Info> tensors = new LinkedHashMap<>();
    private final MappedByteBuffer map;
    private long dataStart;

    private GgufTensors(Path file) throws IOException {
        this.file = file;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) throw new AssayException("model file " + file + " is larger than 2 GB: not an organism");
            map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        map.order(ByteOrder.LITTLE_ENDIAN);
    }

    public static GgufTensors read(Path file) {
        GgufHeader.read(file); // bounds-checks the whole header first (AssayException naming the file)
        try {
            GgufTensors g = new GgufTensors(file);
            g.parse();
            return g;
        } catch (IOException e) {
            throw new AssayException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    private String str(ByteBuffer b) {
        int n = (int) b.getLong();
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void parse() {
        ByteBuffer b = map.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.getInt(); // magic, checked by GgufHeader
        b.getInt(); // version
        long nTensors = b.getLong(), nKv = b.getLong();
        for (long i = 0; i < nKv; i++) {
            String key = str(b);
            metadata.put(key, value(b, b.getInt()));
        }
        for (long i = 0; i < nTensors; i++) {
            String name = str(b);
            int nd = b.getInt();
            long[] dims = new long[nd];
            for (int d = 0; d < nd; d++) dims[d] = b.getLong();
            tensors.put(name, new Info(name, dims, b.getInt(), b.getLong()));
        }
        long alignment = metadata.get("general.alignment") instanceof Number a ? a.longValue() : 32;
        dataStart = (b.position() + alignment - 1) / alignment * alignment;
    }

    private Object value(ByteBuffer b, int type) {
        return switch (type) {
            case 0, 1 -> (long) b.get();
            case 2, 3 -> (long) b.getShort();
            case 4 -> Integer.toUnsignedLong(b.getInt());
            case 5 -> (long) b.getInt();
            case 6 -> (double) b.getFloat();
            case 7 -> b.get() != 0;
            case 8 -> str(b);
            case 10, 11 -> b.getLong();
            case 12 -> b.getDouble();
            case 9 -> {
                int elem = b.getInt();
                long n = b.getLong();
                if (elem == 5) {
                    int[] out = new int[(int) n];
                    for (int i = 0; i < n; i++) out[i] = b.getInt();
                    yield out;
                }
                for (long i = 0; i < n; i++) value(b, elem);
                yield n;
            }
            default -> throw new AssayException("model file " + file + ": unknown GGUF metadata type " + type);
        };
    }

    public Path file() {
        return file;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    public String string(String key) {
        return metadata.get(key) instanceof String s ? s : null;
    }

    /** A required whole number (AssayException naming the file and key when absent). */
    public long number(String key) {
        if (metadata.get(key) instanceof Number n) return n.longValue();
        throw new AssayException("model file " + file + " has no metadata key " + key + ": not an organism exported by assay");
    }

    public double real(String key) {
        if (metadata.get(key) instanceof Number n) return n.doubleValue();
        throw new AssayException("model file " + file + " has no metadata key " + key + ": not an organism exported by assay");
    }

    public int[] ints(String key) {
        return metadata.get(key) instanceof int[] a ? a.clone() : null;
    }

    public Info info(String name) {
        return tensors.get(name);
    }

    /** The values of an F32 tensor of the given ggml dims, in file order (rows of ne0 values). */
    public float[] f32(String name, long... dims) {
        Info t = tensors.get(name);
        if (t == null) throw new AssayException("model file " + file + " has no tensor " + name + ": not an organism exported by assay");
        if (t.type != 0) throw new AssayException("model file " + file + ": tensor " + name + " is ggml type " + t.type + ", organisms are F32");
        if (!Arrays.equals(t.dims, dims)) {
            throw new AssayException("model file " + file + ": tensor " + name + " has dims " + Arrays.toString(t.dims)
                    + ", the metadata's shape needs " + Arrays.toString(dims));
        }
        float[] out = new float[(int) t.elements()];
        map.slice((int) (dataStart + t.offset), out.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
