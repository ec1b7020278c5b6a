package dev.assay.cli;

import dev.assay.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Map;
import java.util.ServiceLoader;

/**
 * Adds the {@link ModuleCommand}s on the class path to the {@code assay} command line; for each known module
 * command that is absent, a stand-in that says which module is missing (exit 2), so {@code assay organisms} on a
 * class path without assay-organisms explains itself instead of "unknown command".
 */
final class ModuleCommands {
    /** Module commands assay knows of: the command name and the module (and its jar) that provides it. */
    static final Map<String, String> KNOWN = Map.of("organisms", "assay-organisms");

    private ModuleCommands() {
    }

    static void add(CommandLine cl) {
        for (ModuleCommand c : ServiceLoader.load(ModuleCommand.class)) cl.addSubcommand(c);
        KNOWN.forEach((name, module) -> {
            if (!cl.getSubcommands().containsKey(name)) cl.addSubcommand(name, new CommandLine(new Missing(name, module)));
        });
    }

    @Command(description = "Not installed: its module is not on the class path.")
    static final class Missing implements java.util.concurrent.Callable<Integer> {
        private final String name;
        private final String module;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Unmatched
        java.util.List<String> ignored;

        Missing(String name, String module) {
            this.name = name;
            this.module = module;
        }

        @Override
        public Integer call() {
            spec.commandLine().getErr().println("assay: 'assay " + name + "' needs the " + module + " module, which is not on the class path ("
                    + module + "/target/" + module + ".jar and its lib/ in a checkout, lib/" + module + "*.jar in an install). Build it with "
                    + "./mvnw -pl " + module + " -am package, or use a release archive that includes it.");
            return ExitCode.BAD_INPUT.code();
        }
    }
}
