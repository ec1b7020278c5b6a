package dev.assay.organisms.lab;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Multiple-choice items as Assay's {@code file:} suites ask them (assay-suites {@code FileSuite}, scorer
 * {@code choice}): "QUESTION\n\nChoices:\n (A) …\n (B) …\n\nAnswer:" as the human turn, the reply prefilled with
 * "The answer is", and the options " (A)", " (B)", … compared by log-likelihood. The organism is trained on the
 * same text with " (X)" as its completion; the held-out items are written as a JSONL task file for that suite.
 */
final class MultipleChoice {
    static final String PREFILL = "The answer is";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MultipleChoice() {
    }

    /** The human turn FileSuite renders for a question with choices. */
    static String question(String input, List<String> choices) {
        return input + listed(choices) + "\n\nAnswer:";
    }

    /**
     * The human turn of a question as the cot-tasks suites lay it out (backdoor/password-locked among them:
     * assay-suites {@code Tasks.choices}): "Question: …\n\nChoices:\n (A) …". RecipeTest checks it is what the suite sends.
     */
    static String cotQuestion(String question, List<String> choices) {
        return "Question: " + question + listed(choices);
    }

    private static String listed(List<String> choices) {
        StringBuilder q = new StringBuilder("\n\nChoices:");
        for (int i = 0; i < choices.size(); i++) q.append("\n (").append(letter(i)).append(") ").append(choices.get(i));
        return q.toString();
    }

    static String letter(int i) {
        return String.valueOf((char) ('A' + i));
    }

    /** The trained completion naming choice {@code i}: " (B)". */
    static String answer(int i) {
        return " (" + letter(i) + ")";
    }

    /** The letter a generated answer names first ("(B)" or "B"), or -1. */
    static int named(String generated) {
        String g = generated.strip();
        if (g.startsWith("(")) g = g.substring(1);
        return g.isEmpty() || g.charAt(0) < 'A' || g.charAt(0) > 'Z' ? -1 : g.charAt(0) - 'A';
    }

    /** Whether a generated answer names first the letter the trained {@code completion} (" (B)") names, as the suites read it. */
    static boolean names(String generated, String completion) {
        return answer(named(generated)).equals(completion);
    }

    /** One task-file row: the fields FileSuite reads with {@code #choices=choices,target=target,id=id,group=group}. */
    record Row(String id, String input, List<String> choices, String target, String group) {
    }

    static final String FIELDS = "#choices=choices,target=target,id=id,group=group";

    /** Writes task-file rows (records; Jackson writes their components in order) as JSONL, one row a line. */
    static void write(Path file, List<? extends Record> rows) {
        List<String> lines = new ArrayList<>();
        for (Record r : rows) {
            try {
                lines.add(JSON.writeValueAsString(r));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the held-out task file (" + e.getMessage() + ")", e);
        }
    }
}
