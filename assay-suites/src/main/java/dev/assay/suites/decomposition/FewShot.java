package dev.assay.suites.decomposition;

import dev.assay.AssayException;
import dev.assay.model.Message;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One released few-shot prompt as turns: read as data from the Python string constant it is published as
 * (anthropics/DecompositionFaithfulnessPaper, {@code NAME = """…"""}), split at its "\n\nHuman:" and
 * "\n\nAssistant:" markers. The question turns of its examples start "Question:" and list " (A) …" choices.
 *
 * @param source where it was read from (for messages)
 */
record FewShot(String source, List<Message> turns) {
    FewShot {
        turns = List.copyOf(turns);
    }

    private static final Pattern TURN = Pattern.compile("\n\n(Human|Assistant):");
    private static final Pattern CHOICE = Pattern.compile("^ \\(([A-Z])\\) ?(.*)$");
    /** The example's stated answer: "choice (C)", "answer is (A)" (the last one in the example counts). */
    private static final Pattern ANSWER = Pattern.compile("(?:choice|answer is) \\(([A-Z])\\)");

    /** Reads constant {@code name} from Python source {@code text}. */
    static FewShot parse(String source, String text, String name) {
        return new FewShot(source, turns(source, PythonString.constant(source, text, name)));
    }

    static List<Message> turns(String source, String prompt) {
        if (!prompt.startsWith("\n\nHuman:")) {
            throw new AssayException(source + ": a few-shot prompt should start with \"\\n\\nHuman:\"");
        }
        List<Message> out = new ArrayList<>();
        Matcher m = TURN.matcher(prompt);
        String role = null;
        int from = 0;
        while (m.find()) {
            if (role != null) out.add(message(role, prompt.substring(from, m.start())));
            role = m.group(1);
            from = m.end();
        }
        out.add(message(role, prompt.substring(from)));
        for (int i = 0; i < out.size(); i++) {
            String expect = i % 2 == 0 ? "user" : "assistant";
            if (!out.get(i).role().equals(expect)) {
                throw new AssayException(source + ": turn " + (i + 1) + " should be " + (expect.equals("user") ? "Human" : "Assistant"));
            }
        }
        if (!out.getLast().role().equals("assistant")) throw new AssayException(source + ": the last turn should be the Assistant's");
        return out;
    }

    /** "Human: x" gives "x"; "Human:\nx" keeps the newline (Assay's raw format writes one space after the colon). */
    private static Message message(String role, String content) {
        String c = content.startsWith(" ") ? content.substring(1) : content;
        return role.equals("Human") ? Message.user(c) : Message.assistant(c);
    }

    /** The question stems of the examples and their stated answers (index), where the prompt states one. */
    Map<String, Integer> answers() {
        Map<String, Integer> out = new HashMap<>();
        for (Example e : examples()) if (e.answer() >= 0) out.put(e.question(), e.answer());
        return out;
    }

    /** An example: its question turn's index, stem, option texts, and the answer the prompt states (−1: none). */
    record Example(int turn, int end, String question, List<String> options, int answer) {
    }

    List<Example> examples() {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            Message t = turns.get(i);
            if (!t.role().equals("user") || !t.content().startsWith("Question:")) continue;
            int end = i + 1;
            while (end < turns.size() && !(turns.get(end).role().equals("user") && turns.get(end).content().startsWith("Question:"))) end++;
            int answer = -1;
            for (int j = i + 1; j < end; j++) {
                Matcher m = ANSWER.matcher(turns.get(j).content());
                while (m.find()) answer = m.group(1).charAt(0) - 'A';
            }
            out.add(new Example(i, end, stem(t.content()), options(t.content()), answer));
        }
        return out;
    }

    private static String stem(String questionTurn) {
        int c = questionTurn.indexOf("\n\nChoices:");
        return (c < 0 ? questionTurn : questionTurn.substring(0, c)).strip();
    }

    private static List<String> options(String questionTurn) {
        List<String> out = new ArrayList<>();
        int c = questionTurn.indexOf("\n\nChoices:\n");
        if (c < 0) return out;
        for (String line : questionTurn.substring(c + "\n\nChoices:\n".length()).split("\n", -1)) {
            Matcher m = CHOICE.matcher(line);
            if (!m.matches() || m.group(1).charAt(0) != 'A' + out.size()) break;
            out.add(m.group(2));
        }
        return out;
    }

    /**
     * The "answer is always (A)" bias of Turpin et al. 2023: in every example the correct option is swapped with
     * option (A), and every later mention of those two letters in the example (the reasoning's "the answer is C:",
     * the final "choice (C)") is swapped with it, so each example still answers its own question, now always (A).
     * {@code known} gives the answers of examples whose own turns state none (the factored decomposition
     * stage, whose examples end at &lt;FIN&gt;), by question stem; an example whose answer is known from neither is an error.
     */
    FewShot alwaysA(Map<String, Integer> known) {
        List<Message> out = new ArrayList<>(turns);
        for (Example e : examples()) {
            int answer = e.answer() >= 0 ? e.answer() : known.getOrDefault(e.question(), -1);
            if (answer < 0) {
                throw new AssayException(source + ": the example \"" + abbreviate(e.question()) + "\" states no answer and no other "
                        + "released prompt has the same question; cannot reorder it for the answer-is-always-(A) bias");
            }
            if (answer >= e.options().size()) throw new AssayException(source + ": the example \"" + abbreviate(e.question()) + "\" has no option " + Questions.letter(answer));
            if (answer == 0) continue;
            char from = Questions.letter(answer);
            out.set(e.turn(), Message.user(swapOptions(turns.get(e.turn()).content(), e.options(), answer)));
            for (int j = e.turn() + 1; j < e.end(); j++) {
                Message t = turns.get(j);
                String swapped = swapLetters(t.content(), from, 'A');
                out.set(j, t.role().equals("user") ? Message.user(swapped) : Message.assistant(swapped));
            }
        }
        FewShot reordered = new FewShot(source + " (answer always (A))", out);
        for (Example e : reordered.examples()) {
            if (e.answer() > 0) throw new AssayException(source + ": after reordering, the example \"" + abbreviate(e.question()) + "\" still answers " + Questions.letter(e.answer()));
        }
        return reordered;
    }

    private static String swapOptions(String turn, List<String> options, int answer) {
        int c = turn.indexOf("\n\nChoices:\n") + "\n\nChoices:\n".length();
        List<String> swapped = new ArrayList<>(options);
        swapped.set(0, options.get(answer));
        swapped.set(answer, options.get(0));
        StringBuilder sb = new StringBuilder(turn.substring(0, c));
        int consumed = 0;
        for (int i = 0; i < swapped.size(); i++) {
            String original = " (" + Questions.letter(i) + ") " + options.get(i);
            consumed += original.length() + (i + 1 < swapped.size() ? 1 : 0);
            sb.append(" (").append(Questions.letter(i)).append(") ").append(swapped.get(i));
            if (i + 1 < swapped.size()) sb.append('\n');
        }
        return sb.append(turn.substring(c + consumed)).toString();
    }

    /** "(C)", "C:" / "C)" / "C -" after a word boundary, and "answer is C" / "choice C". */
    private static final Pattern LETTER = Pattern.compile("\\(([A-Z])\\)|\\b([A-Z])(?=[:)]|\\s-\\s)|(?<=answer is |choice )([A-Z])\\b");

    static String swapLetters(String text, char a, char b) {
        Matcher m = LETTER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int g = m.group(1) != null ? 1 : m.group(2) != null ? 2 : 3;
            char c = m.group(g).charAt(0);
            char to = c == a ? b : c == b ? a : c;
            String whole = m.group();
            int at = m.start(g) - m.start();
            m.appendReplacement(sb, Matcher.quoteReplacement(whole.substring(0, at) + to + whole.substring(at + 1)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
