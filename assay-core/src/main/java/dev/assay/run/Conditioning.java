package dev.assay.run;

import dev.assay.AssayException;
import dev.assay.data.Sample;
import dev.assay.model.Prompt;
import dev.assay.suite.Condition;
import dev.assay.suite.PromptFormat;
import dev.assay.suite.Suite;

import java.util.ArrayList;
import java.util.List;

/**
 * How a run's conditions meet a suite's items: which conditions apply (the run's --condition list, else
 * the suite's own), every item copied once per condition (item-major, so each item's conditions sit
 * together in the log), and the check that a condition changes some prompt of the suite.
 */
final class Conditioning {
    private Conditioning() {
    }

    static List<Condition> of(RunSpec spec, Suite suite) {
        return spec.conditions().isEmpty() ? suite.conditions(spec.settings().params()) : spec.conditions();
    }

    /** Each item under each condition, or the items as they are when there is none. */
    static List<Sample> expand(List<Sample> items, List<Condition> conditions) {
        if (conditions.isEmpty()) return items;
        List<Sample> out = new ArrayList<>(items.size() * conditions.size());
        for (Sample item : items) for (Condition c : conditions) out.add(c.on(item));
        return out;
    }

    /** The condition a conditioned sample runs under, or null. */
    static Condition find(List<Condition> conditions, Sample sample) {
        String name = sample.meta(Condition.KEY);
        if (name == null) return null;
        for (Condition c : conditions) if (c.name().equals(name)) return c;
        return null;
    }

    /**
     * A condition that edits nothing in any first prompt of the suite (a replace whose text never occurs)
     * would compare the suite with itself: bad input, naming it. The baseline (an empty SPEC) is exempt.
     */
    static void checkChanges(Suite suite, List<Sample> items, List<Condition> conditions, PromptFormat format) {
        for (Condition c : conditions) {
            if (c.identity() || items.isEmpty()) continue;
            boolean changed = false;
            for (Sample s : items) {
                Prompt p = suite.preview(s).render(format);
                if (!c.apply(p).equals(p)) {
                    changed = true;
                    break;
                }
            }
            if (!changed) {
                throw new AssayException(c.option() + " changes no prompt of " + suite.name() + " (" + items.size()
                        + " items, first prompts under --format " + format.name().toLowerCase(java.util.Locale.ROOT)
                        + "): check its text against 'assay run " + suite.name() + " --dry-run', or drop it");
            }
        }
    }
}
