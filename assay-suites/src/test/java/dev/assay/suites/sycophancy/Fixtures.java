package dev.assay.suites.sycophancy;

import dev.assay.suites.cottasks.Tasks;
import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.model.Models;
import dev.assay.run.Results;
import dev.assay.run.RunSpec;
import dev.assay.run.RunStore;
import dev.assay.run.Runner;
import dev.assay.suite.Suite;
import dev.assay.suite.Suites;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The small cot-tasks copies under src/test/resources/sycophancy and a runner over them. */
final class Fixtures {
    static final Path ROOT = root();
    static final Tasks.Source AQUA = source("aqua", "aqua/dev.jsonl");
    static final Tasks.Source ARC_CHALLENGE = source("arc_challenge", "arc_challenge/ARC-Challenge-Dev.jsonl");
    static final List<Tasks.Source> BOTH = List.of(AQUA, ARC_CHALLENGE);

    private Fixtures() {
    }

    private static Path root() {
        try {
            return Path.of(Fixtures.class.getResource("/sycophancy").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unpinned (sha256 null): the fixtures are not the upstream files. */
    static Tasks.Source source(String name, String path) {
        return new Tasks.Pinned(name, new DataFile(Tasks.DATASET, Tasks.REPO, Tasks.COMMIT, path, null, -1));
    }

    static DataStore data(Path tmp) {
        return new DataStore(ROOT, tmp.resolve("cache"));
    }

    static Path file(String name) {
        return ROOT.resolve(name);
    }

    static Runner runner(Path tmp, Suite suite) {
        return new Runner(new RunStore(tmp.resolve("store")), data(tmp), new Suites(List.of(suite)), Models::open);
    }

    static RunSpec spec(String suite, String replay, Map<String, String> roles) {
        return new RunSpec(List.of(suite), "replay/" + file(replay), roles, 0, 1, 7, "raw", 2, List.of(), Map.of());
    }

    static double metric(Results.SuiteResults r, String name) {
        return r.metrics().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().value();
    }

    static double metric(Results.SuiteResults r, String group, String name) {
        return r.groups().stream().filter(g -> (g.key() + "=" + g.value()).equals(group)).findFirst().orElseThrow()
                .metrics().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().value();
    }
}
