package dev.assay.cli;

import dev.assay.Suggestions;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Mistyped commands and options: an error naming what was typed and the nearest known names (by edit distance). */
final class Typos {
    private Typos() {
    }

    /** Every option's long name, without dashes, over the whole command tree: the keys a YAML run file may use. */
    static Set<String> optionNames(CommandLine cl) {
        Set<String> names = new TreeSet<>();
        collect(cl, names);
        return names;
    }

    private static void collect(CommandLine c, Set<String> names) {
        for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) names.add(o.longestName().replaceFirst("^-+", ""));
        c.getSubcommands().values().forEach(s -> collect(s, names));
    }

    /**
     * The message for a word where a command belongs that names none ('assay nosuch --help'), or null. Walks the
     * arguments down the command tree; it stops at the first command that takes positional arguments.
     */
    static String unknownCommand(CommandLine cl, String... args) {
        CommandLine c = cl;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (c.getSubcommands().isEmpty() || !c.getCommandSpec().positionalParameters().isEmpty()) return null;
            if (a.startsWith("-")) {
                CommandLine.Model.OptionSpec o = c.getCommandSpec().findOption(a.contains("=") ? a.substring(0, a.indexOf('=')) : a);
                if (o != null && o.arity().max() > 0 && !a.contains("=")) i++;
                continue;
            }
            CommandLine sub = c.getSubcommands().get(a);
            if (sub == null) return unknownCommandMessage(c, a);
            c = sub;
        }
        return null;
    }

    private static String unknownCommandMessage(CommandLine c, String typed) {
        String where = qualified(c);
        return "unknown command '" + typed + "'" + (where.isEmpty() ? "" : " for 'assay " + where.strip() + "'")
                + orStop(Suggestions.didYouMean(typed, c.getSubcommands().keySet()))
                + " 'assay " + where + "--help' lists the commands.";
    }

    /** A parse error as the user should read it: an unknown option or command gets its nearest names. */
    static String explain(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            CommandLine c = ex.getCommandLine();
            String typed = u.getUnmatched().getFirst();
            if (typed.startsWith("-")) {
                String name = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
                List<String> options = new ArrayList<>();
                c.getCommandSpec().options().forEach(o -> options.addAll(List.of(o.names())));
                return "unknown option '" + name + "' for 'assay " + qualified(c).strip() + "'" + orStop(Suggestions.didYouMean(name, options))
                        + " 'assay " + qualified(c) + "--help' lists the options.";
            }
            if (!c.getSubcommands().isEmpty() && c.getCommandSpec().positionalParameters().isEmpty()) {
                return unknownCommandMessage(c, typed);
            }
        }
        return ex.getMessage();
    }

    /** A suggestion, or the full stop that ends the sentence without one. */
    static String orStop(String suggestion) {
        return suggestion.isEmpty() ? "." : suggestion;
    }

    static String qualified(CommandLine c) {
        StringBuilder sb = new StringBuilder();
        for (CommandLine p = c; p.getParent() != null; p = p.getParent()) sb.insert(0, p.getCommandName() + " ");
        return sb.toString();
    }
}
