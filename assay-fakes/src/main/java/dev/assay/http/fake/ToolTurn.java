package dev.assay.http.fake;

/**
 * One scripted turn of the fake model in a tool conversation ({@link FakeServer#scriptTools}): ask
 * for a tool, or answer in text.
 */
public sealed interface ToolTurn {

    /**
     * Call {@code tool} with {@code arguments}, sent exactly as given: text that is not a JSON object
     * makes a malformed call (on the Anthropic wire the {@code input} is then that text, not an object).
     */
    record Call(String tool, String arguments) implements ToolTurn {
    }

    /** Answer {@code text}, with {@code {result}} replaced by the text of the last tool result received. */
    record Answer(String text) implements ToolTurn {
    }

    static ToolTurn call(String tool, String arguments) {
        return new Call(tool, arguments);
    }

    static ToolTurn answer(String text) {
        return new Answer(text);
    }
}
