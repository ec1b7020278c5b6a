package dev.assay.sketch;

import java.util.Arrays;

/** Little-endian writer and reader for the serialised form; varints are unsigned LEB128. */
final class Bytes {
    private byte[] a;
    private int n;

    Bytes(int capacity) {
        a = new byte[Math.max(16, capacity)];
    }

    private void room(int more) {
        if (n + more > a.length) a = Arrays.copyOf(a, Math.max(a.length * 2, n + more));
    }

    void u8(int x) {
        room(1);
        a[n++] = (byte) x;
    }

    void i64(long x) {
        room(8);
        for (int i = 0; i < 8; i++) a[n++] = (byte) (x >>> (8 * i));
    }

    void f64(double x) {
        i64(Double.doubleToRawLongBits(x));
    }

    void varint(long x) {
        if (x < 0) throw new IllegalStateException("negative varint " + x);
        room(10);
        while ((x & ~0x7FL) != 0) {
            a[n++] = (byte) ((x & 0x7F) | 0x80);
            x >>>= 7;
        }
        a[n++] = (byte) x;
    }

    byte[] toArray() {
        return Arrays.copyOf(a, n);
    }

    static final class Reader {
        private final byte[] a;
        private int p;

        Reader(byte[] a) {
            this.a = a;
        }

        private void need(int k) {
            if (p + k > a.length) throw new IllegalArgumentException("quantile sketch is truncated at byte " + p + " of " + a.length);
        }

        int u8() {
            need(1);
            return a[p++] & 0xFF;
        }

        long i64() {
            need(8);
            long x = 0;
            for (int i = 0; i < 8; i++) x |= (a[p++] & 0xFFL) << (8 * i);
            return x;
        }

        double f64() {
            return Double.longBitsToDouble(i64());
        }

        long varint() {
            long x = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                int c = u8();
                x |= (long) (c & 0x7F) << shift;
                if ((c & 0x80) == 0) return x;
            }
            throw new IllegalArgumentException("quantile sketch has an overlong varint at byte " + p);
        }

        int remaining() {
            return a.length - p;
        }
    }
}
