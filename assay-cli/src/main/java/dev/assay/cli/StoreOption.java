package dev.assay.cli;

import dev.assay.AssayException;
import dev.assay.run.RunStore;
import dev.assay.store.FolderStore;
import dev.assay.store.Store;
import dev.assay.store.Stores;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * The run store, shared by every command that reads or writes runs: {@code --store URL|DIR} (also
 * ASSAY_STORE) — a folder, or {@code postgresql://[USER@]HOST[:PORT]/DATABASE} with the password in
 * PGPASSWORD or a pgpass file — else the folder {@code --out DIR} (default ./assay-runs).
 */
public final class StoreOption {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "assay-runs",
            description = "Run store folder: one sub-folder per run plus index.sqlite (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--store", paramLabel = "URL|DIR",
            description = "The run store: a folder (as --out) or postgresql://[USER@]HOST[:PORT]/DATABASE (also ASSAY_STORE); "
                    + "the password comes from PGPASSWORD or a pgpass file, never the URL.")
    String store;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private Store opened;

    /** The store, opened once per command. An explicit --out wins over ASSAY_STORE; both explicit is refused. */
    public Store open() {
        if (opened != null) return opened;
        boolean outGiven = mixee != null && mixee.commandLine() != null && mixee.commandLine().getParseResult() != null
                && mixee.commandLine().getParseResult().hasMatchedOption("--out");
        boolean storeGiven = mixee != null && mixee.commandLine() != null && mixee.commandLine().getParseResult() != null
                && mixee.commandLine().getParseResult().hasMatchedOption("--store");
        if (outGiven && storeGiven) throw new AssayException("give --store or --out, not both (--out DIR is --store DIR)");
        opened = store != null && !store.isBlank() && !outGiven ? Stores.open("--store", store) : Stores.folder(out);
        return opened;
    }

    /** The folder store, for what only a folder has; a database store is refused naming {@code what}. */
    public RunStore folder(String what) {
        if (open() instanceof FolderStore f) return f.runStore();
        throw new AssayException(what + " works on a folder store only, not --store " + open().location());
    }
}
