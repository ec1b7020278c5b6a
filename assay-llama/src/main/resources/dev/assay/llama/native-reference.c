// The native reference of `assay bench engine`: a plain C process that loads the same libllama (the one
// Assay extracted from de.kherud:llama:4.2.0, build b4916) and the same model with the same context, runs
// the same workload (S prompts of P tokens in one batch, then G greedy steps of S tokens), and prints its
// peak RSS. Built by the benchmark with the machine's gcc; the struct layouts are llama.h's at b4916.
#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct llama_model_params {
    void *devices; int32_t n_gpu_layers; int32_t split_mode; int32_t main_gpu;
    const float *tensor_split; void *progress_callback; void *progress_callback_user_data;
    const void *kv_overrides; bool vocab_only, use_mmap, use_mlock, check_tensors;
};
struct llama_context_params {
    uint32_t n_ctx, n_batch, n_ubatch, n_seq_max; int32_t n_threads, n_threads_batch;
    int32_t rope_scaling_type, pooling_type, attention_type;
    float rope_freq_base, rope_freq_scale, yarn_ext_factor, yarn_attn_factor, yarn_beta_fast, yarn_beta_slow;
    uint32_t yarn_orig_ctx; float defrag_thold; void *cb_eval; void *cb_eval_user_data;
    int32_t type_k, type_v; bool logits_all, embeddings, offload_kqv, flash_attn, no_perf;
    void *abort_callback; void *abort_callback_data;
};
struct llama_batch {
    int32_t n_tokens; int32_t *token; float *embd; int32_t *pos; int32_t *n_seq_id; int32_t **seq_id; int8_t *logits;
};

static void *need(void *lib, const char *name) {
    void *f = dlsym(lib, name);
    if (!f) { fprintf(stderr, "native-reference: no symbol %s\n", name); exit(2); }
    return f;
}

static void quiet(int level, const char *text, void *user) { (void) level; (void) text; (void) user; }

static long peak_rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256]; long kb = -1;
    while (f && fgets(line, sizeof line, f)) if (strncmp(line, "VmHWM:", 6) == 0) kb = atol(line + 6);
    if (f) fclose(f);
    return kb;
}

int main(int argc, char **argv) {
    if (argc != 11) {
        fprintf(stderr, "usage: native-reference LIB MODEL N_CTX N_BATCH N_UBATCH N_SEQ_MAX THREADS SEQS PROMPT GEN\n");
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW);
    if (!lib) { fprintf(stderr, "native-reference: %s\n", dlerror()); return 2; }
    int n_ctx = atoi(argv[3]), n_batch = atoi(argv[4]), n_ubatch = atoi(argv[5]), n_seq_max = atoi(argv[6]);
    int threads = atoi(argv[7]), seqs = atoi(argv[8]), prompt = atoi(argv[9]), gen = atoi(argv[10]);
    ((void (*)(void (*)(int, const char *, void *), void *)) need(lib, "llama_log_set"))(quiet, NULL);
    ((void (*)(void)) need(lib, "llama_backend_init"))();
    struct llama_model_params mp = ((struct llama_model_params (*)(void)) need(lib, "llama_model_default_params"))();
    mp.n_gpu_layers = 0;
    void *model = ((void *(*)(const char *, struct llama_model_params)) need(lib, "llama_model_load_from_file"))(argv[2], mp);
    if (!model) { fprintf(stderr, "native-reference: cannot load %s\n", argv[2]); return 2; }
    void *vocab = ((void *(*)(void *)) need(lib, "llama_model_get_vocab"))(model);
    int n_vocab = ((int32_t (*)(void *)) need(lib, "llama_vocab_n_tokens"))(vocab);
    struct llama_context_params cp = ((struct llama_context_params (*)(void)) need(lib, "llama_context_default_params"))();
    cp.n_ctx = n_ctx; cp.n_batch = n_batch; cp.n_ubatch = n_ubatch; cp.n_seq_max = n_seq_max;
    cp.n_threads = threads; cp.n_threads_batch = threads; cp.no_perf = true;
    void *ctx = ((void *(*)(void *, struct llama_context_params)) need(lib, "llama_init_from_model"))(model, cp);
    if (!ctx) { fprintf(stderr, "native-reference: cannot create a context\n"); return 2; }
    struct llama_batch (*batch_init)(int32_t, int32_t, int32_t) = need(lib, "llama_batch_init");
    int32_t (*decode)(void *, struct llama_batch) = need(lib, "llama_decode");
    float *(*logits_ith)(void *, int32_t) = need(lib, "llama_get_logits_ith");
    struct llama_batch b = batch_init(n_batch, 0, 1);
    int *next = calloc(seqs, sizeof(int));
    // the prompts: sequence s reads tokens 100 + (7s + j) mod 1000, as the Java workload does
    b.n_tokens = 0;
    for (int s = 0; s < seqs; s++) {
        for (int j = 0; j < prompt; j++) {
            int i = b.n_tokens++;
            b.token[i] = 100 + (7 * s + j) % 1000; b.pos[i] = j; b.n_seq_id[i] = 1; b.seq_id[i][0] = s;
            b.logits[i] = j == prompt - 1;
        }
    }
    if (decode(ctx, b) != 0) { fprintf(stderr, "native-reference: prompt decode failed\n"); return 1; }
    for (int step = 0; step <= gen; step++) {
        for (int s = 0; s < seqs; s++) {
            int idx = step == 0 ? (s + 1) * prompt - 1 : s;
            float *row = logits_ith(ctx, idx);
            int best = 0;
            for (int v = 1; v < n_vocab; v++) if (row[v] > row[best]) best = v;
            next[s] = best;
        }
        if (step == gen) break;
        b.n_tokens = 0;
        for (int s = 0; s < seqs; s++) {
            int i = b.n_tokens++;
            b.token[i] = next[s]; b.pos[i] = prompt + step; b.n_seq_id[i] = 1; b.seq_id[i][0] = s; b.logits[i] = 1;
        }
        if (decode(ctx, b) != 0) { fprintf(stderr, "native-reference: decode failed\n"); return 1; }
    }
    printf("peak_rss_kb=%ld\n", peak_rss_kb());
    return 0;
}
