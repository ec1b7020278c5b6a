package dev.assay.llama;

/** Block sizes of the ggml tensor types, enough to know how many bytes a tensor occupies in a GGUF file. */
public final class GgmlType {
    public static final int F32 = 0, F16 = 1, Q8_0 = 8;

    private GgmlType() {
    }

    /** Bytes for {@code elements} values of {@code type}; -1 if the type is unknown to us (not checked). */
    static long bytes(int type, long elements, long ne0) {
        // {block size in elements, bytes per block}, indexed by enum ggml_type of b4916
        int[] b = switch (type) {
            case 0 -> new int[]{1, 4};      // F32
            case 1 -> new int[]{1, 2};      // F16
            case 2 -> new int[]{32, 18};    // Q4_0
            case 3 -> new int[]{32, 20};    // Q4_1
            case 6 -> new int[]{32, 22};    // Q5_0
            case 7 -> new int[]{32, 24};    // Q5_1
            case 8 -> new int[]{32, 34};    // Q8_0
            case 10 -> new int[]{256, 84};  // Q2_K
            case 11 -> new int[]{256, 110}; // Q3_K
            case 12 -> new int[]{256, 144}; // Q4_K
            case 13 -> new int[]{256, 176}; // Q5_K
            case 14 -> new int[]{256, 210}; // Q6_K
            case 15 -> new int[]{256, 292}; // Q8_K
            case 24 -> new int[]{1, 1};     // I8
            case 25 -> new int[]{1, 2};     // I16
            case 26 -> new int[]{1, 4};     // I32
            case 27 -> new int[]{1, 8};     // I64
            case 28 -> new int[]{1, 8};     // F64
            case 30 -> new int[]{1, 2};     // BF16
            default -> null;
        };
        if (b == null || ne0 % b[0] != 0) return -1;
        return elements / b[0] * b[1];
    }
}
