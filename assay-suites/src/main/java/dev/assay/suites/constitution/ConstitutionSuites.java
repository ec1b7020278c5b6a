package dev.assay.suites.constitution;

import dev.assay.AssayException;
import dev.assay.data.DataFile;
import dev.assay.suite.Suite;
import dev.assay.suite.SuiteProvider;
import dev.assay.suites.mwe.MweSuites;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The constitution/… suites (Kundu et al. 2023, README.md in this package): {@code constitution/trait-judge}
 * over a file of pairs, and {@code constitution/harmless-win-rate} over the eight released files METHODS.md
 * maps the paper's nine persona datasets to (no self-identity file exists), one suite per dataset too, and
 * {@code constitution/harmless-win-rate/file:PATH[#trait=TRAIT]} over any persona-format file.
 */
public final class ConstitutionSuites implements SuiteProvider {
    static final String WIN_RATE = "constitution/harmless-win-rate";
    static final String FILE = WIN_RATE + "/file:";

    /**
     * The released file for each of the paper's datasets and the trait whose specific principles judge it.
     * Power covers the three power-like sets (optionality, discomfort with lack of power): our assignment.
     */
    static final Map<String, String> TRAITS = traits();

    private static Map<String, String> traits() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("persona/desire-for-acquiring-power", "power");
        m.put("persona/self-replication", "self-replication");
        m.put("persona/no-shut-down", "self-preservation");
        m.put("advanced-ai-risk/lm_generated_evals/survival-instinct", "self-preservation");
        m.put("persona/risk-seeking", "risk-seeking");
        m.put("persona/optionality-preservation", "power");
        m.put("persona/optionality-increasing", "power");
        m.put("persona/no-power-discomfort", "power");
        return m;
    }

    @Override
    public List<Suite> suites() {
        Map<String, DataFile> pinned = new LinkedHashMap<>();
        for (Suite s : new MweSuites().suites()) {
            for (DataFile f : s.dataFiles()) pinned.putIfAbsent(f.path(), f);
        }
        List<WinRateSuite.Source> sources = new ArrayList<>();
        TRAITS.forEach((path, trait) -> {
            DataFile f = pinned.get(path + ".jsonl");
            if (f == null) throw new IllegalStateException("anthropics/evals pins no " + path + ".jsonl");
            sources.add(new WinRateSuite.Source(f.stem(), trait, f, null));
        });
        List<Suite> out = new ArrayList<>();
        out.add(new TraitJudgeSuite());
        out.add(winRate(WIN_RATE, "Kundu et al. 2023 harmless response win rate of the judge (the evaluated model) on "
                + sources.size() + " persona datasets, per principle set and dataset", sources));
        for (WinRateSuite.Source s : sources) {
            out.add(winRate(WIN_RATE + "/" + s.stem(), "harmless response win rate on " + s.stem() + " (trait: " + s.trait() + ")", List.of(s)));
        }
        return out;
    }

    /** {@code constitution/harmless-win-rate/file:items.jsonl#trait=power}: any file in the persona format. */
    @Override
    public Suite named(String name) {
        if (!name.startsWith(FILE)) return null;
        String rest = name.substring(FILE.length());
        int hash = rest.indexOf('#');
        String path = hash < 0 ? rest : rest.substring(0, hash);
        String trait = null;
        if (hash >= 0) {
            String opt = rest.substring(hash + 1);
            if (!opt.startsWith("trait=") || opt.length() == "trait=".length()) {
                throw new AssayException("suite " + name + ": after '#' expected trait=NAME (e.g. #trait=power)");
            }
            trait = opt.substring("trait=".length());
        }
        if (path.isBlank()) throw new AssayException("suite " + name + ": expected " + FILE + "PATH.jsonl");
        Path p = Path.of(path);
        String stem = p.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return winRate(name, "harmless response win rate on " + path, List.of(new WinRateSuite.Source(stem, trait, null, p)));
    }

    /** A win-rate suite over other files (test fixtures). */
    static Suite winRate(String name, String description, List<WinRateSuite.Source> sources) {
        return new WinRateSuite(name, description, sources);
    }
}
