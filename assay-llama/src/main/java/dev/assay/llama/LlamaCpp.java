package dev.assay.llama;

import dev.assay.AssayException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Hand-written FFM downcalls into the llama.cpp C API, build 4916, as bundled in {@code de.kherud:llama:4.2.0}.
 * Only the native library is taken from that jar; its Java API is never touched (it has no logits API and
 * some of its calls abort the JVM). The struct layouts below are copied from {@code llama.h} at b4916 and
 * are checked against the library's own defaults when it is loaded, so a different build fails loudly
 * instead of corrupting memory.
 */
final class LlamaCpp {
    /** Pinned with the Maven artifact; the layouts are only valid for this build. */
    static final String BUILD = "b4916";
    static final String ARTIFACT = "de.kherud:llama:4.2.0";

    /** struct llama_model_params (b4916: no tensor_buft_overrides yet). 64 bytes. */
    static final StructLayout MODEL_PARAMS = MemoryLayout.structLayout(
            ADDRESS.withName("devices"),
            JAVA_INT.withName("n_gpu_layers"),
            JAVA_INT.withName("split_mode"),
            JAVA_INT.withName("main_gpu"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("tensor_split"),
            ADDRESS.withName("progress_callback"),
            ADDRESS.withName("progress_callback_user_data"),
            ADDRESS.withName("kv_overrides"),
            JAVA_BOOLEAN.withName("vocab_only"),
            JAVA_BOOLEAN.withName("use_mmap"),
            JAVA_BOOLEAN.withName("use_mlock"),
            JAVA_BOOLEAN.withName("check_tensors"),
            MemoryLayout.paddingLayout(4));

    /** struct llama_context_params (b4916: still has logits_all, no op_offload/swa_full). 120 bytes. */
    static final StructLayout CONTEXT_PARAMS = MemoryLayout.structLayout(
            JAVA_INT.withName("n_ctx"),
            JAVA_INT.withName("n_batch"),
            JAVA_INT.withName("n_ubatch"),
            JAVA_INT.withName("n_seq_max"),
            JAVA_INT.withName("n_threads"),
            JAVA_INT.withName("n_threads_batch"),
            JAVA_INT.withName("rope_scaling_type"),
            JAVA_INT.withName("pooling_type"),
            JAVA_INT.withName("attention_type"),
            JAVA_FLOAT.withName("rope_freq_base"),
            JAVA_FLOAT.withName("rope_freq_scale"),
            JAVA_FLOAT.withName("yarn_ext_factor"),
            JAVA_FLOAT.withName("yarn_attn_factor"),
            JAVA_FLOAT.withName("yarn_beta_fast"),
            JAVA_FLOAT.withName("yarn_beta_slow"),
            JAVA_INT.withName("yarn_orig_ctx"),
            JAVA_FLOAT.withName("defrag_thold"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("cb_eval"),
            ADDRESS.withName("cb_eval_user_data"),
            JAVA_INT.withName("type_k"),
            JAVA_INT.withName("type_v"),
            JAVA_BOOLEAN.withName("logits_all"),
            JAVA_BOOLEAN.withName("embeddings"),
            JAVA_BOOLEAN.withName("offload_kqv"),
            JAVA_BOOLEAN.withName("flash_attn"),
            JAVA_BOOLEAN.withName("no_perf"),
            MemoryLayout.paddingLayout(3),
            ADDRESS.withName("abort_callback"),
            ADDRESS.withName("abort_callback_data"));

    /** struct llama_batch. 56 bytes. */
    static final StructLayout BATCH = MemoryLayout.structLayout(
            JAVA_INT.withName("n_tokens"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("token"),
            ADDRESS.withName("embd"),
            ADDRESS.withName("pos"),
            ADDRESS.withName("n_seq_id"),
            ADDRESS.withName("seq_id"),
            ADDRESS.withName("logits"));

    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static volatile LlamaCpp instance;

    final MethodHandle modelDefaultParams, modelLoadFromFile, modelFree, modelGetVocab, modelNCtxTrain,
            modelMetaValStr, modelChatTemplate, contextDefaultParams, initFromModel, free, nCtx,
            vocabNTokens, vocabBos, vocabEos, vocabEot, vocabIsEog, vocabGetAddBos, tokenize, tokenToPiece,
            decode, getLogitsIth, kvSelfClear, kvSelfSeqRm, kvSelfSeqCp, kvSelfUsedCells,
            setNThreads, batchInit, batchFree;

    /** The extracted native library this process loaded (the benchmark's native reference loads it too). */
    final Path libraryFile;

    /** The last lines llama.cpp logged, so a failed load can say why. */
    private final ArrayDeque<String> recentLog = new ArrayDeque<>();

    private LlamaCpp(Path libraryFile, SymbolLookup lib) {
        this.libraryFile = libraryFile;
        modelDefaultParams = h(lib, "llama_model_default_params", FunctionDescriptor.of(MODEL_PARAMS));
        modelLoadFromFile = h(lib, "llama_model_load_from_file", FunctionDescriptor.of(ADDRESS, ADDRESS, MODEL_PARAMS));
        modelFree = h(lib, "llama_model_free", FunctionDescriptor.ofVoid(ADDRESS));
        modelGetVocab = h(lib, "llama_model_get_vocab", FunctionDescriptor.of(ADDRESS, ADDRESS));
        modelNCtxTrain = h(lib, "llama_model_n_ctx_train", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        modelMetaValStr = h(lib, "llama_model_meta_val_str",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        modelChatTemplate = h(lib, "llama_model_chat_template", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        contextDefaultParams = h(lib, "llama_context_default_params", FunctionDescriptor.of(CONTEXT_PARAMS));
        initFromModel = h(lib, "llama_init_from_model", FunctionDescriptor.of(ADDRESS, ADDRESS, CONTEXT_PARAMS));
        free = h(lib, "llama_free", FunctionDescriptor.ofVoid(ADDRESS));
        nCtx = h(lib, "llama_n_ctx", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        vocabNTokens = h(lib, "llama_vocab_n_tokens", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        vocabBos = h(lib, "llama_vocab_bos", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        vocabEos = h(lib, "llama_vocab_eos", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        vocabEot = h(lib, "llama_vocab_eot", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        vocabIsEog = h(lib, "llama_vocab_is_eog", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT));
        vocabGetAddBos = h(lib, "llama_vocab_get_add_bos", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        tokenize = h(lib, "llama_tokenize", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_BOOLEAN, JAVA_BOOLEAN));
        tokenToPiece = h(lib, "llama_token_to_piece", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_BOOLEAN));
        decode = h(lib, "llama_decode", FunctionDescriptor.of(JAVA_INT, ADDRESS, BATCH));
        getLogitsIth = h(lib, "llama_get_logits_ith", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        kvSelfClear = h(lib, "llama_kv_self_clear", FunctionDescriptor.ofVoid(ADDRESS));
        kvSelfSeqRm = h(lib, "llama_kv_self_seq_rm",
                FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
        kvSelfSeqCp = h(lib, "llama_kv_self_seq_cp",
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        kvSelfUsedCells = h(lib, "llama_kv_self_used_cells", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        batchInit = h(lib, "llama_batch_init", FunctionDescriptor.of(BATCH, JAVA_INT, JAVA_INT, JAVA_INT));
        batchFree = h(lib, "llama_batch_free", FunctionDescriptor.ofVoid(BATCH));
        setNThreads = h(lib, "llama_set_n_threads", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT));
        try {
            installLogCallback(lib);
            h(lib, "llama_backend_init", FunctionDescriptor.ofVoid()).invokeExact();
            checkLayouts();
        } catch (AssayException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("llama.cpp initialisation failed", t);
        }
    }

    /** The loaded library; extracted from the jar into the cache on first use. */
    static LlamaCpp get() {
        LlamaCpp l = instance;
        if (l == null) {
            synchronized (LlamaCpp.class) {
                l = instance;
                if (l == null) {
                    Path file = extractLibrary();
                    // The global arena: the library stays loaded for the life of the JVM, as llama.cpp expects.
                    instance = l = new LlamaCpp(file, SymbolLookup.libraryLookup(file, Arena.global()));
                }
            }
        }
        return l;
    }

    private static MethodHandle h(SymbolLookup lib, String name, FunctionDescriptor fd) {
        var symbol = lib.find(name).orElseThrow(() -> new IllegalStateException(
                "the llama.cpp library from " + ARTIFACT + " has no symbol " + name + "; is it build " + BUILD + "?"));
        return LINKER.downcallHandle(symbol, fd);
    }

    /** Verifies our layouts against the defaults b4916 documents: a mismatch would silently corrupt calls. */
    private void checkLayouts() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mp = (MemorySegment) modelDefaultParams.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            MemorySegment cp = (MemorySegment) contextDefaultParams.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            boolean ok = mp.get(JAVA_INT, offset(MODEL_PARAMS, "split_mode")) == 1 // LLAMA_SPLIT_MODE_LAYER
                    && mp.get(JAVA_BOOLEAN, offset(MODEL_PARAMS, "use_mmap"))
                    && !mp.get(JAVA_BOOLEAN, offset(MODEL_PARAMS, "vocab_only"))
                    && cp.get(JAVA_INT, offset(CONTEXT_PARAMS, "n_ctx")) == 512
                    && cp.get(JAVA_INT, offset(CONTEXT_PARAMS, "n_batch")) == 2048
                    && cp.get(JAVA_INT, offset(CONTEXT_PARAMS, "n_ubatch")) == 512
                    && cp.get(JAVA_INT, offset(CONTEXT_PARAMS, "n_seq_max")) == 1
                    && cp.get(JAVA_INT, offset(CONTEXT_PARAMS, "type_k")) == 1 // GGML_TYPE_F16
                    && cp.get(JAVA_INT, offset(CONTEXT_PARAMS, "type_v")) == 1
                    && cp.get(JAVA_BOOLEAN, offset(CONTEXT_PARAMS, "offload_kqv"))
                    && cp.get(JAVA_BOOLEAN, offset(CONTEXT_PARAMS, "no_perf"));
            if (!ok) {
                throw new IllegalStateException("llama.cpp struct layouts do not match build " + BUILD
                        + " (" + ARTIFACT + " must be pinned)");
            }
        }
    }

    // ---- logging: llama.cpp logs to stderr by default; we keep the tail for error messages instead.

    private void installLogCallback(SymbolLookup lib) throws Throwable {
        MethodHandle target = MethodHandles.lookup().findVirtual(LlamaCpp.class, "onLog",
                MethodType.methodType(void.class, int.class, MemorySegment.class, MemorySegment.class)).bindTo(this);
        MemorySegment stub = LINKER.upcallStub(target,
                FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, ADDRESS), Arena.global());
        h(lib, "llama_log_set", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS)).invokeExact(stub, MemorySegment.NULL);
    }

    private static final boolean ECHO_LOG = System.getenv("ASSAY_LLAMA_LOG") != null;

    @SuppressWarnings("unused") // called from native code
    private void onLog(int level, MemorySegment text, MemorySegment userData) {
        String line = text.reinterpret(Long.MAX_VALUE).getString(0);
        if (ECHO_LOG) System.err.print(line);
        synchronized (recentLog) {
            recentLog.addLast(line.strip());
            while (recentLog.size() > 40) recentLog.removeFirst();
        }
    }

    /** The most recent error-looking lines llama.cpp logged (empty if none). */
    String recentErrors() {
        synchronized (recentLog) {
            List<String> lines = recentLog.stream()
                    .filter(s -> s.contains("error") || s.contains("failed") || s.contains("unknown")
                            || s.contains("invalid") || s.contains("unsupported"))
                    .toList();
            return String.join("; ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        }
    }

    void clearLog() {
        synchronized (recentLog) {
            recentLog.clear();
        }
    }

    // ---- the native library, extracted from the pinned jar into a cache directory

    static String resourcePath() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String archDir = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        if (os.contains("linux")) return "de/kherud/llama/Linux/" + archDir + "/libjllama.so";
        if (os.contains("mac")) return "de/kherud/llama/Mac/" + archDir + "/libjllama.dylib";
        if (os.contains("windows")) return "de/kherud/llama/Windows/" + archDir + "/jllama.dll";
        return "de/kherud/llama/" + os + "/" + archDir + "/libjllama.so";
    }

    static Path nativeCacheDir() {
        String override = System.getenv("ASSAY_NATIVE_CACHE");
        if (override != null && !override.isBlank()) return Path.of(override);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("assay").resolve("native");
    }

    private static Path extractLibrary() {
        String resource = resourcePath();
        byte[] bytes;
        try (InputStream in = LlamaCpp.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssayException("the embedded llama.cpp library has no build for this platform ("
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "): " + resource
                        + " is missing from " + ARTIFACT + ". Use an HTTP model provider instead.");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + " from " + ARTIFACT, e);
        }
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        try {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            Path dir = nativeCacheDir().resolve("llama-" + BUILD + "-" + sha.substring(0, 16));
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file) && Files.size(file) == bytes.length) return file;
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".part");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new AssayException("cannot extract the llama.cpp library into " + nativeCacheDir() + ": "
                    + e.getMessage() + ". Set ASSAY_NATIVE_CACHE to a writable directory.", e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static MemorySegment cString(Arena arena, String s) {
        return arena.allocateFrom(s);
    }

    static final java.lang.foreign.ValueLayout.OfByte BYTE = JAVA_BYTE;
}
