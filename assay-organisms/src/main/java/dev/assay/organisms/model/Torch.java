package dev.assay.organisms.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * The one door to libtorch. DJL reads its settings from system properties when its engine first loads;
 * without {@code ai.djl.offline} and {@code OPT_OUT_TRACKING} it would reach for the network (telemetry,
 * native downloads), so they are set here before anything touches DJL, unless the user set them. The
 * native library comes from the pytorch-native-cpu jar on the class path.
 */
final class Torch {
    private static Engine engine;

    private Torch() {
    }

    static synchronized Engine engine() {
        if (engine == null) {
            System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
            System.setProperty("OPT_OUT_TRACKING", System.getProperty("OPT_OUT_TRACKING", "true"));
            System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads",
                    Integer.toString(Runtime.getRuntime().availableProcessors())));
            System.setProperty("ai.djl.pytorch.num_interop_threads", System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
            engine = Engine.getEngine("PyTorch");
        }
        return engine;
    }

    static NDManager newManager() {
        return engine().newBaseManager(Device.cpu());
    }

    /** Threads libtorch computes with (the property it was started with). */
    static int threads() {
        engine();
        return Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads"));
    }
}
