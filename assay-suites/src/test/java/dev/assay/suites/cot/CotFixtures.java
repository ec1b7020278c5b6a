package dev.assay.suites.cot;

import dev.assay.suites.cottasks.Tasks;
import dev.assay.data.DataFile;
import dev.assay.data.DataStore;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The small task files under src/test/resources/cot (unpinned: they are not the upstream files). */
final class CotFixtures {
    static final Path ROOT = root();
    static final Tasks.Pinned AQUA = new Tasks.Pinned("aqua", new DataFile(Tasks.DATASET, Tasks.REPO, Tasks.COMMIT, "aqua/dev.jsonl", null, -1));
    static final Tasks.Pinned LOGIQA = new Tasks.Pinned("logiqa", new DataFile(Tasks.DATASET, Tasks.REPO, Tasks.COMMIT, "logiqa/Eval.txt", null, -1));
    static final List<Tasks.Source> AQUA_ONLY = List.of(AQUA);

    private CotFixtures() {
    }

    private static Path root() {
        try {
            return Path.of(CotFixtures.class.getResource("/cot").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static DataStore data(Path tmp) {
        return new DataStore(ROOT, tmp.resolve("cache"));
    }
}
