package dev.assay.cli.view;

import dev.assay.run.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "view", sortOptions = false,
        description = {"Browse the run store in a local web page: runs, metrics and plots, every sample, comparisons.",
                "Listens on 127.0.0.1 only; stop it with Ctrl-C."},
        footer = {"", "Examples:",
                "  assay view                      then open the address it prints",
                "  assay view --port 0 --out runs  any free port, store ./runs"})
public final class ViewCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8470",
            description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 for any free port).")
    int port;

    @CommandLine.Mixin
    dev.assay.cli.StoreOption store;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) throw new dev.assay.AssayException("--port " + port + ": must be 0–65535");
        // A shared (database) store is browsed through read-only sessions: the viewer cannot change it.
        dev.assay.store.Store st = store.open();
        if (st.shared()) st = st.readOnly();
        Viewer viewer = Viewer.start(st, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            viewer.close();
            stopped.countDown();
        }));
        spec.commandLine().getOut().println("assay view: serving " + st.location() + (st.shared() ? " (read-only)" : "") + " at " + viewer.uri()
                + " (127.0.0.1 only; Ctrl-C stops)");
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
