package dev.assay.suites.decomposition;

import dev.assay.suites.cottasks.Tasks;
import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.data.Sample;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * Project fixtures under src/test/resources/decomposition: small few-shot prompts written in the released
 * format (not the released prompts), four AQuA-style items and two LogiQA-style items.
 */
final class Fixtures {
    static final Path ROOT = root();
    static final Tasks.Source AQUA = new Tasks.Pinned("aqua", new DataFile(Tasks.DATASET, Tasks.REPO, Tasks.COMMIT, "aqua/dev.jsonl", null, -1));
    static final Tasks.Source LOGIQA = new Tasks.Pinned("logiqa", new DataFile(Tasks.DATASET, Tasks.REPO, Tasks.COMMIT, "logiqa/Eval.txt", null, -1));
    static final List<ReleasedPrompts.PromptFile> PROMPTS = ReleasedPrompts.ALL.stream()
            .map(p -> new ReleasedPrompts.PromptFile(new DataFile(p.file().dataset(), p.file().repo(), p.file().commit(), p.file().path(), null, -1), p.constant()))
            .toList();

    private Fixtures() {
    }

    private static Path root() {
        try {
            return Path.of(Fixtures.class.getResource("/decomposition").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static DataStore data(Path tmp) {
        return new DataStore(ROOT, tmp.resolve("cache"));
    }

    static DecompositionSuite suite(Method m) {
        return new DecompositionSuite("decomposition/" + m.id, m, List.of(AQUA), PROMPTS);
    }

    static List<Sample> load(DecompositionSuite suite, Path tmp) {
        return suite.load(data(tmp), 0);
    }

    /** The last "\n\nHuman: …" turn of a raw prompt. */
    static String lastHuman(String prompt) {
        int h = prompt.lastIndexOf("\n\nHuman: ");
        int a = prompt.lastIndexOf("\n\nAssistant:");
        return prompt.substring(h + "\n\nHuman: ".length(), a > h ? a : prompt.length());
    }
}
