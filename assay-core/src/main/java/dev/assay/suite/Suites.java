package dev.assay.suite;

import dev.assay.AssayException;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry of suites from every {@link SuiteProvider}; resolves names, globs ("mwe/persona/*") and
 * group names ({@link SuiteGroup}, e.g. "sycophancy/all").
 */
public final class Suites {
    private final Map<String, Suite> byName = new LinkedHashMap<>();
    private final List<SuiteProvider> providers;
    private final Map<String, SuiteGroup> groups = new LinkedHashMap<>();

    public Suites(List<Suite> suites) {
        this(suites, List.of());
    }

    /** A group named like a suite, or naming a suite that is not here, is a programming error: it fails at once. */
    public Suites(List<Suite> suites, List<SuiteGroup> groups) {
        this(suites, groups, List.of());
    }

    private Suites(List<Suite> suites, List<SuiteGroup> groups, List<SuiteProvider> providers) {
        for (Suite s : suites) byName.putIfAbsent(s.name(), s);
        for (SuiteGroup g : groups) {
            if (byName.containsKey(g.name())) throw new IllegalArgumentException("group " + g.name() + " has a suite's name");
            for (String m : g.suites()) {
                if (!byName.containsKey(m)) throw new IllegalArgumentException("group " + g.name() + " names no suite " + m);
            }
            this.groups.putIfAbsent(g.name(), g);
        }
        this.providers = List.copyOf(providers);
    }

    public static Suites discover() {
        List<Suite> all = new ArrayList<>();
        List<SuiteGroup> groups = new ArrayList<>();
        List<SuiteProvider> providers = new ArrayList<>();
        ServiceLoader.load(SuiteProvider.class).forEach(p -> {
            providers.add(p);
            all.addAll(p.suites());
            groups.addAll(p.groups());
        });
        return new Suites(all, groups, providers);
    }

    public List<SuiteGroup> groups() {
        return List.copyOf(groups.values());
    }

    /** The group of that name, if it is one. */
    public java.util.Optional<SuiteGroup> group(String name) {
        return java.util.Optional.ofNullable(groups.get(name));
    }

    public List<Suite> all() {
        return List.copyOf(byName.values());
    }

    /**
     * Resolves names; a name with '*' or '?' is a glob over suite names, a group's name stands for its
     * members. Unknown names fail with suggestions.
     */
    public List<Suite> resolve(List<String> names) {
        List<Suite> out = new ArrayList<>();
        for (String name : names) {
            if (name.contains("*") || name.contains("?")) {
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + name);
                List<Suite> hits = byName.values().stream().filter(s -> m.matches(Path.of(s.name()))).toList();
                if (hits.isEmpty()) throw unknown(name);
                hits.stream().filter(s -> !out.contains(s)).forEach(out::add);
            } else if (groups.containsKey(name)) {
                for (String member : groups.get(name).suites()) {
                    Suite s = byName.get(member);
                    if (!out.contains(s)) out.add(s);
                }
            } else {
                Suite s = byName.get(name);
                for (int i = 0; s == null && i < providers.size(); i++) s = providers.get(i).named(name);
                if (s == null) throw unknown(name);
                if (!out.contains(s)) out.add(s);
            }
        }
        // An alias beside its target would run one dataset twice under two names.
        List<String> chosen = out.stream().map(Suite::name).toList();
        out.removeIf(s -> s.aliasOf() != null && chosen.contains(s.aliasOf()));
        return out;
    }

    private AssayException unknown(String name) {
        List<String> names = new ArrayList<>(byName.keySet());
        names.addAll(groups.keySet());
        String near = dev.assay.Suggestions.didYouMean(name.replace("*", "").replace("?", ""), names);
        return new AssayException("unknown suite '" + name + "'" + near + " Run 'assay list suites' to see them all.");
    }
}
