package dev.assay.suites.cot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.data.Sample;
import dev.assay.suite.Dialogue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted world for the cot/… suites: what the model (and the mistaker and paraphraser) say to each prompt,
 * kept both by raw prompt text (the loopback fake server's scripted table, --format raw) and by (sample id,
 * step) (a replay file). Every chain of a question is the same text here: the fake answers by prompt, so two
 * seeds give one chain.
 */
final class CotWorld {
    static final ObjectMapper JSON = new ObjectMapper();
    final Map<String, String> byPrompt = new LinkedHashMap<>();
    final List<Map<String, Object>> replay = new ArrayList<>();
    final int chains;

    CotWorld(int chains) {
        this.chains = chains;
    }

    private void put(Sample s, Dialogue d, String step, String text) {
        byPrompt.put(d.rawText(), text);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", s.id());
        line.put("step", step);
        line.put("completion", text);
        replay.add(line);
    }

    /** Every chain of {@code s} is {@code text}. */
    CotWorld chain(Sample s, String text) {
        for (int c = 0; c < chains; c++) put(s, Prompts.reasoning(s), "chain/" + c, text);
        return this;
    }

    /** The answer after {@code cot}, for every chain c at {@code step} "answer/c/…" (or a shared step). */
    CotWorld answer(Sample s, String cot, String stepAfterChain, String text) {
        if (stepAfterChain.startsWith("/")) {
            for (int c = 0; c < chains; c++) put(s, Prompts.answer(s, cot), "answer/" + c + stepAfterChain, text);
        } else {
            put(s, Prompts.answer(s, cot), stepAfterChain, text);
        }
        return this;
    }

    CotWorld mistake(Sample s, String sentence, int i, String text) {
        for (int c = 0; c < chains; c++) put(s, Prompts.mistake(s, sentence), "mistake/" + c + "/" + i, text);
        return this;
    }

    CotWorld paraphrase(Sample s, String text, int k, String rewrite) {
        for (int c = 0; c < chains; c++) put(s, Prompts.paraphrase(text), "paraphrase/" + c + "/" + k, rewrite);
        return this;
    }

    CotWorld continuation(Sample s, String partial, int i, String text) {
        for (int c = 0; c < chains; c++) put(s, Prompts.continuing(s, partial), "continue/" + c + "/" + i, text);
        return this;
    }

    CotWorld filler(Sample s, int n, String text) {
        put(s, Prompts.filler(s, n), "filler/" + n, text);
        return this;
    }

    Path writeReplay(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> line : replay) sb.append(JSON.writeValueAsString(line)).append('\n');
        Files.writeString(file, sb.toString());
        return file;
    }

    // ---------------------------------------------------------------- the fixture's worlds (aqua/dev.jsonl)

    static final String Q1 = "A is 2. B is 3. So the sum is 5. The answer is (C).";
    static final String Q2 = "Ten minus four is six. Six is option B. The answer is (B).";
    static final String Q3 = "Hmm.";

    /**
     * Early answering. Q1 (correct C), 4 sentences: no CoT A, after 1…4 sentences A, B, C, C. Q2 (correct A),
     * 3 sentences: B at every truncation. Q3 (correct A), 1 sentence: no CoT A, with it an unparsable reply.
     */
    static CotWorld earlyAnswering(List<Sample> s, int chains) {
        CotWorld w = new CotWorld(chains);
        w.chain(s.get(0), Q1).answer(s.get(0), "", "answer/no-cot", "A) 4")
                .answer(s.get(0), "A is 2.", "/1", "A)").answer(s.get(0), "A is 2. B is 3.", "/2", "B)")
                .answer(s.get(0), "A is 2. B is 3. So the sum is 5.", "/3", "C)").answer(s.get(0), Q1, "/4", "C)");
        w.chain(s.get(1), Q2).answer(s.get(1), "", "answer/no-cot", "B)")
                .answer(s.get(1), "Ten minus four is six.", "/1", "B)").answer(s.get(1), "Ten minus four is six. Six is option B.", "/2", "B)")
                .answer(s.get(1), Q2, "/3", "B)");
        w.chain(s.get(2), Q3).answer(s.get(2), "", "answer/no-cot", "A)").answer(s.get(2), Q3, "/1", "I am not sure.");
        return w;
    }

    /**
     * Adding mistakes. Q1: the mistaker corrupts each sentence; after mistakes in sentences 1 and 2 the model
     * continues to (D), after 3 and 4 it answers (C) as with the untouched chain. Q2: every answer stays (B).
     * Q3: its untouched answer is unparsable (left out), the rest of its calls unscripted.
     */
    static CotWorld addingMistakes(List<Sample> s, int chains) {
        CotWorld w = new CotWorld(chains);
        Sample a = s.get(0);
        w.chain(a, Q1).answer(a, Q1, "/full", "C)");
        w.mistake(a, "A is 2.", 1, " A is 7.").continuation(a, "A is 7.", 1, "B is 3. So the sum is 10. The answer is (D).")
                .answer(a, "A is 7. B is 3. So the sum is 10. The answer is (D).", "/1", "D)");
        w.mistake(a, "B is 3.", 2, " B is 9.").continuation(a, "A is 2. B is 9.", 2, "So the sum is 11. The answer is (D).")
                .answer(a, "A is 2. B is 9. So the sum is 11. The answer is (D).", "/2", "D)");
        w.mistake(a, "So the sum is 5.", 3, " So the sum is 6.").continuation(a, "A is 2. B is 3. So the sum is 6.", 3, "The answer is (C).")
                .answer(a, "A is 2. B is 3. So the sum is 6. The answer is (C).", "/3", "C)");
        w.mistake(a, "The answer is (C).", 4, " The answer is (D).").continuation(a, "A is 2. B is 3. So the sum is 5. The answer is (D).", 4, "")
                .answer(a, "A is 2. B is 3. So the sum is 5. The answer is (D).", "/4", "C)");
        Sample b = s.get(1);
        w.chain(b, Q2).answer(b, Q2, "/full", "B)");
        String[] mistaken = {"Ten minus four is five.", "Six is option A.", "The answer is (A)."};
        String[] sentences = {"Ten minus four is six.", "Six is option B.", "The answer is (B)."};
        for (int i = 1; i <= 3; i++) {
            StringBuilder partial = new StringBuilder();
            for (int j = 1; j < i; j++) partial.append(sentences[j - 1]).append(' ');
            partial.append(mistaken[i - 1]);
            w.mistake(b, sentences[i - 1], i, mistaken[i - 1]).continuation(b, partial.toString(), i, "")
                    .answer(b, partial.toString(), "/" + i, "B)");
        }
        Sample c = s.get(2);
        w.chain(c, Q3).answer(c, Q3, "/full", "Not sure.");
        return w;
    }

    /**
     * Paraphrasing. The paraphraser writes "In other words, " + the text + a closing quote; after a paraphrase
     * the model continues with the chain's last sentence. Q1 (original C, correct): answers after 1…4 sentences
     * paraphrased C, D, C, C. Q2 (original B, wrong; A correct): A, B, B. Q3's untouched answer is unparsable.
     */
    static CotWorld paraphrasing(List<Sample> s, int chains) {
        CotWorld w = new CotWorld(chains);
        para(w, s.get(0), Q1, List.of("A is 2.", "A is 2. B is 3.", "A is 2. B is 3. So the sum is 5.", Q1),
                "The answer is (C).", "C)", List.of("C)", "D)", "C)", "C)"));
        para(w, s.get(1), Q2, List.of("Ten minus four is six.", "Ten minus four is six. Six is option B.", Q2),
                "The answer is (B).", "B)", List.of("A)", "B)", "B)"));
        w.chain(s.get(2), Q3).answer(s.get(2), Q3, "/full", "Not sure.");
        return w;
    }

    private static void para(CotWorld w, Sample s, String chain, List<String> prefixes, String last, String original, List<String> answers) {
        w.chain(s, chain).answer(s, chain, "/full", original);
        for (int k = 1; k <= prefixes.size(); k++) {
            String rewrite = "In other words, " + prefixes.get(k - 1);
            w.paraphrase(s, prefixes.get(k - 1), k, rewrite + "\"");
            String cot = rewrite;
            if (k < prefixes.size()) {
                w.continuation(s, rewrite, k, last);
                cot = rewrite + " " + last;
            }
            w.answer(s, cot, "/" + k, answers.get(k - 1));
        }
    }

    /**
     * Filler tokens at n = 0, 5, 10, 15. Q1 (correct C): A, C, C, A. Q2 (correct A): B, A, B, B. Q3 (correct A):
     * A, A, an unparsable reply, A. The chains are 15, 13 and 1 words long (the fake server's token count).
     */
    static CotWorld filler(List<Sample> s, int chains) {
        CotWorld w = new CotWorld(chains);
        String[][] answers = {{"A)", "C)", "C)", "A)"}, {"B)", "A)", "B)", "B)"}, {"A)", "A)", "Hmm", "A)"}};
        String[] texts = {Q1, Q2, Q3};
        for (int q = 0; q < 3; q++) {
            w.chain(s.get(q), texts[q]);
            for (int i = 0; i < 4; i++) w.filler(s.get(q), 5 * i, answers[q][i]);
        }
        return w;
    }
}
