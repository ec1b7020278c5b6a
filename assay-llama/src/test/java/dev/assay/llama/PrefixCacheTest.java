package dev.assay.llama;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrefixCacheTest {

    @Test
    void findsTheLongestSharedPrefixWithinTheLimit() {
        var cache = new PrefixCache();
        cache.put(3, new int[]{1, 2, 3, 4});
        cache.put(5, new int[]{1, 2, 9});
        assertThat(cache.longest(new int[]{1, 2, 3, 4, 5}, 10)).isEqualTo(new PrefixCache.Match(3, 4));
        assertThat(cache.longest(new int[]{1, 2, 3, 4, 5}, 2).length()).isEqualTo(2);
        assertThat(cache.longest(new int[]{1, 2, 9, 9}, 10)).isEqualTo(new PrefixCache.Match(5, 3));
        assertThat(cache.longest(new int[]{7}, 10)).isEqualTo(new PrefixCache.Match(-1, 0));
    }

    @Test
    void anEntryThatIsAPrefixOfAnotherIsRedundant() {
        var cache = new PrefixCache();
        assertThat(cache.put(1, new int[]{1, 2})).isEmpty();
        // extends entry 1: entry 1 is freed, 2 kept
        assertThat(cache.put(2, new int[]{1, 2, 3})).containsExactly(1);
        // covered by entry 2: the new one is freed
        assertThat(cache.put(4, new int[]{1, 2})).containsExactly(4);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.put(6, new int[0])).containsExactly(6);
    }

    @Test
    void evictsTheLeastRecentlyUsedFirst() {
        var cache = new PrefixCache();
        cache.put(1, new int[]{1});
        cache.put(2, new int[]{2});
        cache.put(3, new int[]{3});
        cache.longest(new int[]{1, 5}, 5); // 1 is used again: 2 is now the oldest
        assertThat(cache.evictLeastRecentlyUsed()).isEqualTo(2);
        assertThat(cache.evictLeastRecentlyUsed()).isEqualTo(3);
        assertThat(cache.evictLeastRecentlyUsed()).isEqualTo(1);
        assertThat(cache.evictLeastRecentlyUsed()).isEqualTo(-1);
    }
}
