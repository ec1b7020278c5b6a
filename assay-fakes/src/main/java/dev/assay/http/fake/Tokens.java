package dev.assay.http.fake;

import java.util.ArrayList;
import java.util.List;

/**
 * The fake server's tokenizer and language model, both made of hashes: a token is a run of
 * non-space characters with the white space before it; the log-prob of a token, and whether it is
 * the greedy choice, come from a hash of it and a rolling hash of every token before it. Deterministic, so a test can
 * compute what the server will say.
 */
final class Tokens {
    private static final String[] WORDS = {"yes", "no", "the", "answer", "is", "maybe", "model", "safe",
            "because", "I", "think", "so", "not", "sure", "A", "B", "C", "D", "agree", "disagree"};

    private Tokens() {
    }

    /** Splits text into tokens with their offsets in code points. */
    record Token(String text, int offset) {
    }

    static List<Token> split(String text) {
        var out = new ArrayList<Token>();
        int i = 0;
        int cp = 0;
        while (i < text.length()) {
            int start = i;
            int startCp = cp;
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
                cp++;
            }
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                int c = text.codePointAt(i);
                i += Character.charCount(c);
                cp++;
            }
            out.add(new Token(text.substring(start, i), startCp));
        }
        return out;
    }

    static int hash(String s) {
        int h = 0x811c9dc5;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x01000193;
        }
        h ^= h >>> 15;
        h *= 0x2c1b3c6d;
        h ^= h >>> 12;
        return h & 0x7fffffff;
    }

    /** The context after {@code token}: a rolling hash of every token so far, so log-probs depend on all of them. */
    static long next(long context, String token) {
        long h = context * 0x9E3779B97F4A7C15L + hash(token);
        return h ^ (h >>> 29);
    }

    static double logprob(long context, String token) {
        int h = hash(context + "\u0000" + token);
        return -(0.05 + (h % 4000) / 1000.0);
    }

    static boolean greedy(long context, String token) {
        return (hash(context + "\u0001" + token) % 3) != 0;
    }

    /** The other candidate shown in top_logprobs: better than the token when it is not greedy. */
    static String alternative(String token) {
        String alt = " " + WORDS[hash(token) % WORDS.length];
        return alt.equals(token) ? " " + WORDS[(hash(token) + 1) % WORDS.length] : alt;
    }

    static double alternativeLogprob(long context, String token) {
        double lp = logprob(context, token);
        return greedy(context, token) ? lp - 0.5 : Math.min(-0.01, lp + 0.3);
    }

    static int id(String token) {
        return hash("id" + token) % 50_000;
    }

    /** The model's answer to a prompt: 2 to 8 words picked by hashes of it. */
    static String answer(String prompt, int variant) {
        int h = hash(prompt + "#" + variant);
        int n = 2 + h % 7;
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            h = hash(h + ":" + i);
            sb.append(i == 0 ? "" : " ").append(WORDS[h % WORDS.length]);
        }
        return sb.toString();
    }
}
