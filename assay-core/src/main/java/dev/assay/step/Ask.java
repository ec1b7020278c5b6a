package dev.assay.step;

import dev.assay.model.Message;
import dev.assay.suite.Dialogue;
import dev.assay.suite.SampleState;
import dev.assay.suite.Solver;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Starts the conversation: the user's question (and the start of the assistant's reply, if any). The
 * run's --system prompt, where given, goes first. Makes no model call.
 */
public record Ask(Function<SampleState, Dialogue> dialogue) implements Solver {

    public static Ask of(Dialogue d) {
        return new Ask(s -> d);
    }

    /** The sample's own first prompt, as a function of the sample. */
    public static Ask sample(Function<dev.assay.data.Sample, Dialogue> dialogue) {
        return new Ask(s -> dialogue.apply(s.sample()));
    }

    @Override
    public void solve(SampleState s) {
        s.conversation(withSystem(dialogue.apply(s), s.context().settings().system())).reply("");
    }

    /** {@code d} with the system prompt before its turns (none when {@code system} is null or blank, or one is there). */
    public static Dialogue withSystem(Dialogue d, String system) {
        if (system == null || system.isBlank()) return d;
        if (!d.messages().isEmpty() && d.messages().getFirst().role().equals("system")) return d;
        List<Message> m = new ArrayList<>();
        m.add(Message.system(system));
        m.addAll(d.messages());
        return new Dialogue(m, d.prefill());
    }
}
