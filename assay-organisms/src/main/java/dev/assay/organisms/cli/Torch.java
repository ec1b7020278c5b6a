package dev.assay.organisms.cli;

/**
 * libtorch's settings, made before DJL first loads the engine: offline (no download, no telemetry call: without
 * these DJL reaches for the network) and the number of CPU threads.
 */
final class Torch {
    private Torch() {
    }

    static void configure(int threads) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
}
