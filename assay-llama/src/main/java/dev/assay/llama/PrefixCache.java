package dev.assay.llama;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token prefixes whose KV state is kept after the sequence that decoded them finished: each entry is a KV
 * sequence id and the tokens at its positions. A new sequence that starts with an entry's tokens takes their
 * cells by {@code llama_kv_self_seq_cp} (shared, not copied) and decodes only the rest: the few-shot block
 * every sample shares, the truncations of one chain of thought, an agent's growing conversation.
 *
 * <p>Pure bookkeeping: it says which sequence ids to free and the {@link Scheduler} frees them. Bounded by
 * the sequence ids it is given and by the KV cells, which the scheduler reclaims by evicting the least
 * recently used entry. An entry whose tokens are a prefix of another's is redundant and is dropped.
 */
final class PrefixCache {

    /** The entry sharing the longest prefix with a prompt, and that length. */
    record Match(int seq, int length) {
    }

    // access order: iteration starts at the least recently used
    private final Map<Integer, int[]> entries = new LinkedHashMap<>(16, 0.75f, true);

    int size() {
        return entries.size();
    }

    /** The entry sharing the longest prefix (at most {@code limit} tokens) with {@code tokens}; marks it used. */
    Match longest(int[] tokens, int limit) {
        int best = -1, bestLen = 0;
        for (var e : entries.entrySet()) {
            int n = Engine.commonPrefix(e.getValue(), e.getValue().length, tokens, Math.min(limit, tokens.length));
            if (n > bestLen) {
                bestLen = n;
                best = e.getKey();
            }
        }
        if (best < 0) return new Match(-1, 0);
        entries.get(best); // touch
        return new Match(best, bestLen);
    }

    /**
     * Keeps sequence {@code seq}, holding {@code tokens}, as an entry. Returns the sequence ids that became
     * redundant and must be freed: {@code seq} itself if an entry already extends its tokens, else the entries
     * its tokens extend.
     */
    List<Integer> put(int seq, int[] tokens) {
        List<Integer> free = new ArrayList<>();
        if (tokens.length == 0) {
            free.add(seq);
            return free;
        }
        for (var e : entries.entrySet()) {
            if (isPrefix(tokens, e.getValue())) {
                entries.get(e.getKey()); // touch the one that covers it
                free.add(seq);
                return free;
            }
        }
        for (Iterator<Map.Entry<Integer, int[]>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (isPrefix(e.getValue(), tokens)) {
                free.add(e.getKey());
                it.remove();
            }
        }
        entries.put(seq, tokens);
        return free;
    }

    /** Removes and returns the least recently used entry's sequence id, or -1 if there is none. */
    int evictLeastRecentlyUsed() {
        Iterator<Integer> it = entries.keySet().iterator();
        if (!it.hasNext()) return -1;
        int seq = it.next();
        it.remove();
        return seq;
    }

    /** Forgets every entry (the KV cache was cleared); returns their sequence ids. */
    List<Integer> clear() {
        List<Integer> all = new ArrayList<>(entries.keySet());
        entries.clear();
        return all;
    }

    private static boolean isPrefix(int[] a, int[] b) {
        return a.length <= b.length && Arrays.equals(a, 0, a.length, b, 0, a.length);
    }
}
