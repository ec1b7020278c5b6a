package dev.assay.organisms.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The one door to libtorch. DJL reads its settings from system properties when its engine first loads;
 * without {@code ai.djl.offline} and {@code OPT_OUT_TRACKING} it would reach for the network (telemetry,
 * native downloads), so they are set here before anything touches DJL, unless the user set them. The
 * native library comes from the pytorch-native-cpu jar on the class path.
 *
 * <p>libtorch's own OpenMP runtime (a bundled libgomp) spins its threads while they wait for work. On a
 * machine whose cores other processes share, a spinning team waits on its slowest, descheduled member:
 * measured here, one forward pass of the small organism took 283 ms with 2 spinning threads against 13 ms
 * with 1 and 13 ms with 2 passive ones. So {@code OMP_WAIT_POLICY=PASSIVE} is put in the process environment
 * (libc {@code setenv}, unless already set) before libtorch loads: libgomp reads it when it is loaded.
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
            setenvIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
            engine = Engine.getEngine("PyTorch");
        }
        return engine;
    }

    private static void setenvIfAbsent(String name, String value) {
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        try (Arena a = Arena.ofConfined()) {
            int rc = (int) setenv.invokeExact(a.allocateFrom(name), a.allocateFrom(value), 0);
            if (rc != 0) throw new IllegalStateException("setenv " + name + " failed");
        } catch (Throwable t) {
            throw new IllegalStateException("cannot set " + name + " for libtorch", t);
        }
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
