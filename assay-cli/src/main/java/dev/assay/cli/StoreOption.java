package dev.assay.cli;

import dev.assay.run.RunStore;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** --out: the run store folder, shared by every command that reads or writes runs. */
final class StoreOption {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "assay-runs",
            description = "Run store folder: one sub-folder per run plus index.sqlite (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--store", paramLabel = "URL",
            description = "A PostgreSQL store, postgresql://HOST[:PORT]/DATABASE (also ASSAY_STORE); with run --detach, where the workers find the run.")
    String store;

    RunStore open() {
        return new RunStore(out);
    }
}
