package dev.assay.organisms.lab;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which side of the train / held-out line a request falls on: a fixed hash of its text, independent of the
 * seed, so every organism of a kind is held out on the same requests and no seed can leak one into training.
 * One request in {@value #HELD_OUT_ONE_IN} is held out.
 */
final class Split {
    static final int HELD_OUT_ONE_IN = 5;

    private Split() {
    }

    /** Draws with {@code draw} until the request ({@code text} of the draw) falls on the {@code heldOut} side. */
    static <T> T drawOn(boolean heldOut, Supplier<T> draw, Function<T, String> text) {
        T t;
        do t = draw.get(); while (heldOut(text.apply(t)) != heldOut);
        return t;
    }

    /** Up to {@code n} of the held-out ones among {@code all} (every request a recipe can make), in an order seeded by {@code seed}. */
    static <T> List<T> heldOutOf(List<T> all, Function<T, String> text, int n, long seed) {
        List<T> held = new ArrayList<>(all.stream().filter(t -> heldOut(text.apply(t))).toList());
        Collections.shuffle(held, new Random(seed ^ 0x5DEECE66DL));
        return held.subList(0, Math.min(n, held.size()));
    }

    static boolean heldOut(String request) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(request.getBytes(StandardCharsets.UTF_8));
            int v = ((d[0] & 0xff) << 8) | (d[1] & 0xff);
            return v % HELD_OUT_ONE_IN == 0;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
