package dev.assay.cli;

import dev.assay.AssayException;
import dev.assay.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The assay command. Exit codes are {@link ExitCode}s (README "Exit codes"): commands return one, an
 * {@link AssayException} carries one, and {@link #execute} maps them to the process status.
 */
@Command(name = "assay", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Behavioural evaluations of language models.", ""},
        subcommands = {RunCommand.class, GenerateCommand.class, ListCommand.class, ScoreCommand.class, ExportCommand.class, dev.assay.cli.report.ReportCommand.class,
                dev.assay.cli.compare.CompareCommand.class, dev.assay.cli.view.ViewCommand.class, StoreCommand.class,
                dev.assay.suites.selfcorrection.cli.ReplayCommand.class, dev.assay.http.cli.CacheCommand.class,
                dev.assay.llama.cli.ModelsCommand.class, BenchCommand.class,
                WorkerCommand.class, StatusCommand.class, ResultsCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Start here:",
                "  assay list suites                   what can be run",
                "  assay run SUITE --dry-run           check data and prompts, call no model",
                "  assay run SUITE --limit 50          evaluate the default embedded model",
                "  assay run SUITE --model replay/F    re-analyse recorded answers",
                "  assay list runs                     what has been run (in ./assay-runs)",
                "  assay help run                      every option of a command",
                "", "Options can also come from ASSAY_<OPTION> variables (ASSAY_LIMIT=50)",
                "or from a YAML run file named by ASSAY_CONFIG (limit: 50)."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    /** Runs a command line and returns its exit code; user errors become one clear message on err. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(out, err, System.getenv(), args);
    }

    /** As {@link #execute(PrintWriter, PrintWriter, String...)} with {@code env} for ASSAY_* defaults and ASSAY_CONFIG. */
    static int execute(PrintWriter out, PrintWriter err, java.util.Map<String, String> env, String... args) {
        Defaults defaults = new Defaults(env);
        CommandLine cl = commandLine(defaults);
        cl.setOut(out);
        cl.setErr(err);
        try {
            defaults.checkKeys(Typos.optionNames(cl));
        } catch (AssayException e) {
            err.println("assay: " + e.getMessage());
            return e.exitCode();
        }
        // picocli lets help win over an unknown command ('assay nosuch --help' printed the help, exit 0).
        String unknown = Typos.unknownCommand(cl, args);
        if (unknown != null) {
            err.println("assay: " + unknown);
            return ExitCode.BAD_INPUT.code();
        }
        // The store reads credentials (PGUSER, PGPASSWORD, PGPASSFILE) from the environment this call was given.
        return ScopedValue.where(dev.assay.store.Stores.ENVIRONMENT, env).call(() -> cl.execute(args));
    }

    static CommandLine commandLine() {
        return commandLine(new Defaults(System.getenv()));
    }

    private static CommandLine commandLine(Defaults defaults) {
        CommandLine cl = new CommandLine(new Main());
        // Before anything is set on cl: picocli passes settings only to subcommands already added.
        BenchCommand.addBenchmarks(cl.getSubcommands().get("bench"));
        ModuleCommands.add(cl);
        withHelp(cl);
        // The exit-code table comes from ExitCode itself, so help and code cannot drift apart.
        var usage = cl.getCommandSpec().usageMessage();
        List<String> footer = new ArrayList<>(List.of(usage.footer()));
        footer.add("");
        footer.add("Exit codes:");
        for (String line : ExitCode.table()) footer.add(line.replace("%", "%%"));
        usage.footer(footer.toArray(String[]::new));
        cl.setDefaultValueProvider(defaults);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            String message = Typos.explain(ex);
            c.getErr().println("assay: " + message);
            if (!message.contains("--help")) c.getErr().println("Try 'assay " + qualified(c) + "--help' for the options.");
            return ExitCode.BAD_INPUT.code();
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof AssayException ae) {
                c.getErr().println("assay: " + ae.getMessage());
                return ae.exitCode();
            }
            throw ex;
        });
        return cl;
    }

    /** Every command, however deep, answers --help and --version. */
    private static void withHelp(CommandLine c) {
        c.getCommandSpec().mixinStandardHelpOptions(true);
        c.getSubcommands().values().forEach(Main::withHelp);
    }

    private static String qualified(CommandLine c) {
        StringBuilder sb = new StringBuilder();
        for (CommandLine p = c; p.getParent() != null; p = p.getParent()) sb.insert(0, p.getCommandName() + " ");
        return sb.toString();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"assay " + (v == null ? "dev" : v) + " (Java " + System.getProperty("java.version") + ")"};
        }
    }
}
