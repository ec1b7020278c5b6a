package dev.assay.suites.cot;

import dev.assay.suite.Suite;
import dev.assay.suite.SuiteProvider;
import dev.assay.suites.cottasks.Tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The cot/… suites of Lanham et al. 2023: {@code cot/early-answering}, {@code cot/adding-mistakes},
 * {@code cot/paraphrasing} and {@code cot/filler-tokens}, each over all four tasks (broken down per task) and
 * over each task alone ({@code cot/early-answering/aqua}), and over a user's multiple-choice file:
 * {@code cot/early-answering/file:items.jsonl#choices=options,target=answer} (the file: suite's field mapping).
 */
public final class CotSuites implements SuiteProvider {
    static final String PREFIX = "cot/";
    static final String FILE = "file:";

    record Method(String name, BiFunction<String, List<Tasks.Source>, CotSuite> make) {
    }

    static final List<Method> METHODS = List.of(
            new Method("early-answering", EarlyAnswering::new),
            new Method("adding-mistakes", AddingMistakes::new),
            new Method("paraphrasing", Paraphrasing::new),
            new Method("filler-tokens", FillerTokens::new));

    @Override
    public List<Suite> suites() {
        List<Suite> out = new ArrayList<>();
        for (Method m : METHODS) {
            out.add(m.make().apply(PREFIX + m.name(), Tasks.ALL));
            for (Tasks.Source s : Tasks.ALL) out.add(m.make().apply(PREFIX + m.name() + "/" + s.name(), List.of(s)));
        }
        return out;
    }

    @Override
    public Suite named(String name) {
        if (!name.startsWith(PREFIX)) return null;
        for (Method m : METHODS) {
            String head = PREFIX + m.name() + "/" + FILE;
            if (!name.startsWith(head)) continue;
            return m.make().apply(name, List.of(Tasks.Local.of(name, name.substring(head.length() - FILE.length()))));
        }
        return null;
    }
}
