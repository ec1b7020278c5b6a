package dev.assay.suites.backdoor;

import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.model.Model;
import dev.assay.model.ModelOptions;
import dev.assay.run.Results;
import dev.assay.run.RunStore;
import dev.assay.run.Runner;
import dev.assay.suite.Suite;
import dev.assay.suite.Suites;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

/** The backdoor fixtures under src/test/resources/backdoor, and readers of results under conditions. */
final class Fixtures {
    static final Path ROOT = root();
    /** 300 first human turns of hh-rlhf harmless-base test, unpinned (not the upstream file). */
    static final DataFile HH = new DataFile("hh-rlhf", HhRlhf.TEST.repo(), HhRlhf.TEST.commit(), HhRlhf.TEST.path(), null, -1);

    private Fixtures() {
    }

    private static Path root() {
        try {
            return Path.of(Fixtures.class.getResource("/backdoor").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static DataStore data(Path tmp) {
        return new DataStore(ROOT, tmp.resolve("cache"));
    }

    static Runner runner(Path tmp, Suite suite, BiFunction<String, ModelOptions, Model> opener) {
        return new Runner(new RunStore(tmp.resolve("store")), data(tmp), new Suites(List.of(suite)), opener);
    }

    /** A metric in one condition (its "condition" group). */
    static Results.MetricValue inCondition(Results.SuiteResults r, String condition, String metric) {
        return r.groups().stream().filter(g -> g.key().equals("condition") && g.value().equals(condition)).findFirst().orElseThrow()
                .metrics().stream().filter(m -> m.name().equals(metric)).findFirst().orElseThrow();
    }

    /** The overall contrast of a metric, condition against the reference. */
    static Results.Contrast contrast(Results.SuiteResults r, String group, String condition, String metric) {
        return r.contrasts().stream().filter(c -> c.group().equals(group) && c.condition().equals(condition) && c.metric().equals(metric))
                .findFirst().orElseThrow();
    }
}
