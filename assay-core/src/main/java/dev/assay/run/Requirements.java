package dev.assay.run;

import dev.assay.AssayException;
import dev.assay.data.Sample;
import dev.assay.model.Capabilities;
import dev.assay.model.Capability;
import dev.assay.model.Model;
import dev.assay.suite.AnswerMethod;
import dev.assay.suite.PromptFormat;
import dev.assay.suite.Suite;
import dev.assay.suite.SuiteParameter;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a run asks of its model and suites, checked before the first call: the capabilities each suite
 * needs under the run's format and answering method (a mismatch is bad input naming both, never a silent
 * fallback), the roles it needs, and the suite parameters and --system it was given.
 */
final class Requirements {
    private Requirements() {
    }

    /** The evaluated model's capabilities one suite needs. */
    static Set<Capability> of(Suite suite, PromptFormat format, AnswerMethod method, List<Sample> samples) {
        Set<Capability> need = EnumSet.noneOf(Capability.class);
        need.addAll(suite.requires());
        if (format == PromptFormat.RAW) need.add(Capability.RAW_TEXT);
        else {
            need.add(Capability.CHAT_TEMPLATE);
            if (!samples.isEmpty() && !suite.preview(samples.getFirst()).prefill().isEmpty()) need.add(Capability.PREFILL);
        }
        if (method == AnswerMethod.LOGLIK && suite.choosesOptions()) need.add(Capability.SCORE);
        return need;
    }

    static void check(Map<Suite, List<Sample>> loaded, RunSpec spec, Model model) {
        Capabilities caps = model.capabilities();
        AnswerMethod method = spec.settings().method();
        for (var e : loaded.entrySet()) {
            Suite suite = e.getKey();
            PromptFormat format = Runner.format(spec, suite);
            Set<Capability> missing = caps.missing(of(suite, format, method, e.getValue()));
            if (missing.isEmpty()) continue;
            String what = missing.stream().map(Capability::description).collect(Collectors.joining(", "));
            throw new AssayException("suite " + suite.name() + " needs " + what + " (--format " + format.name().toLowerCase(Locale.ROOT)
                    + ", --answer-method " + method.wire() + "), which model " + model.spec() + " does not have"
                    + hint(missing));
        }
    }

    private static String hint(Set<Capability> missing) {
        if (missing.contains(Capability.SCORE)) return ": use --answer-method generate (or auto), or a model that scores";
        if (missing.contains(Capability.RAW_TEXT)) return ": use --format chat, or a completions-style model";
        if (missing.contains(Capability.CHAT_TEMPLATE)) return ": use --format raw, or a model with a chat template";
        if (missing.contains(Capability.PREFILL)) return ": use --format raw, or a model whose API continues an assistant prefill";
        return "";
    }

    static void checkRoles(Iterable<Suite> chosen, Map<String, String> roles, String forWhat) {
        for (Suite s : chosen)
            for (String role : s.roles())
                if (!roles.containsKey(role))
                    throw new AssayException("suite " + s.name() + " needs a model for the role '" + role + "'" + forWhat
                            + ": add --role " + role + "=SPEC");
    }

    /** -S names each suite knows, --system only where a suite allows it. */
    static void checkSettings(Iterable<Suite> chosen, RunSettings settings) {
        for (String key : settings.params().keySet()) {
            boolean known = false;
            StringBuilder names = new StringBuilder();
            for (Suite s : chosen) {
                for (SuiteParameter p : s.parameters()) {
                    if (p.name().equals(key)) known = true;
                    if (names.indexOf(p.name()) < 0) names.append(names.isEmpty() ? "" : ", ").append(p.name());
                }
            }
            if (!known) throw new AssayException("-S " + key + ": no suite of this run takes that parameter ("
                    + (names.isEmpty() ? "they take none" : "they take " + names) + "; assay list suites --verbose lists them)");
        }
        if (settings.system() != null && !settings.system().isBlank()) {
            for (Suite s : chosen) {
                if (!s.allowsSystem()) throw new AssayException("--system: suite " + s.name() + " does not allow a system prompt");
            }
        }
    }
}
