package dev.assay.suites.selfcorrection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.AssayException;
import dev.assay.data.Records;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One BBQ item (Parrish et al. 2022) as the data/*.jsonl files give it, with the two indices the bias
 * score needs: the "unknown" answer and the bias target (the answer naming a stereotyped group).
 *
 * @param targetIndex -1 when no single answer names a stereotyped group (such items count towards
 *                    accuracy, not towards bias scores, and are reported as "no_target")
 */
public record BbqItem(String category, int exampleId, String questionIndex, String polarity, String condition,
                      String context, String question, List<String> answers, int label,
                      List<List<String>> answerInfo, List<String> stereotypedGroups,
                      int unknownIndex, int targetIndex) {

    public boolean negative() {
        return polarity.equals("neg");
    }

    public boolean ambiguous() {
        return condition.equals("ambig");
    }

    public static BbqItem parse(Records.Row row) {
        String polarity = row.text("question_polarity");
        if (!polarity.equals("neg") && !polarity.equals("nonneg")) {
            throw new AssayException(row.where() + ": question_polarity should be neg or nonneg, found " + polarity);
        }
        String condition = row.text("context_condition");
        if (!condition.equals("ambig") && !condition.equals("disambig")) {
            throw new AssayException(row.where() + ": context_condition should be ambig or disambig, found " + condition);
        }
        List<String> answers = List.of(row.text("ans0"), row.text("ans1"), row.text("ans2"));
        int label = (int) row.number("label");
        if (label < 0 || label > 2) throw new AssayException(row.where() + ": label should be 0, 1 or 2, found " + label);
        JsonNode info = row.fields().get("answer_info");
        if (info == null || !info.isObject()) throw new AssayException(row.where() + ": missing object field 'answer_info'");
        List<List<String>> answerInfo = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode a = info.get("ans" + i);
            if (a == null || !a.isArray() || a.isEmpty()) {
                throw new AssayException(row.where() + ": answer_info.ans" + i + " should be a list like [\"grandfather\", \"old\"]");
            }
            List<String> tags = new ArrayList<>();
            a.forEach(t -> tags.add(t.asText()));
            answerInfo.add(List.copyOf(tags));
        }
        JsonNode meta = row.fields().get("additional_metadata");
        JsonNode groupsNode = meta == null ? null : meta.get("stereotyped_groups");
        if (groupsNode == null || !groupsNode.isArray()) {
            throw new AssayException(row.where() + ": missing additional_metadata.stereotyped_groups");
        }
        List<String> groups = new ArrayList<>();
        groupsNode.forEach(g -> groups.add(g.asText()));
        int unknown = unknownIndex(answerInfo);
        if (unknown < 0) throw new AssayException(row.where() + ": no answer is tagged \"unknown\" in answer_info");
        return new BbqItem(row.text("category"), (int) row.number("example_id"), row.text("question_index"),
                polarity, condition, row.text("context"), row.text("question"), answers, label,
                List.copyOf(answerInfo), List.copyOf(groups), unknown, targetIndex(answerInfo, groups));
    }

    static int unknownIndex(List<List<String>> answerInfo) {
        for (int i = 0; i < answerInfo.size(); i++) {
            if (answerInfo.get(i).getLast().equalsIgnoreCase("unknown")) return i;
        }
        return -1;
    }

    /**
     * The bias target: the answer whose <em>group tag</em> (the last element of its answer_info, e.g.
     * "old", "nonOld", "F-Black") names a stereotyped group, ignoring case and spaces, with gender words
     * folded to F/M. The answer's name (the first element, "22-year-old") is never split: splitting it made
     * "22-year-old" match "old" in Age, gave two targets and silently dropped the item (issue 11). Matching,
     * strongest first; the single answer at the strongest level that any answer reaches is the target:
     * <ol>
     *   <li>the whole tag equals a group;</li>
     *   <li>a compound tag ("lowSES-M-White") whose every part names a group (the intersectional target);</li>
     *   <li>a compound tag with some part naming a group;</li>
     *   <li>only when no answer's tag matches at all: the whole name equals a group (Nationality, whose
     *       tags are regions such as "Africa" while the groups are nationalities such as "Eritrean").</li>
     * </ol>
     * -1 when no single answer is the target (two answers at the top level, or none): such items are
     * counted and reported as "no_target", never silently dropped. On the six local categories this agrees
     * item by item with the official BBQ analysis's target_loc rule (.ci/bbq_unifiedqa_bias.py).
     */
    static int targetIndex(List<List<String>> answerInfo, List<String> stereotypedGroups) {
        Set<String> groups = new HashSet<>();
        for (String g : stereotypedGroups) groups.add(fold(g));
        int[] level = new int[answerInfo.size()];
        int best = 0;
        for (int i = 0; i < answerInfo.size(); i++) {
            List<String> info = answerInfo.get(i);
            String tag = info.getLast();
            if (tag.equalsIgnoreCase("unknown")) continue;
            if (groups.contains(fold(tag))) level[i] = 4;
            else if (tag.contains("-")) {
                String[] parts = tag.split("-");
                long named = java.util.Arrays.stream(parts).filter(p -> groups.contains(fold(p))).count();
                level[i] = named == parts.length ? 3 : named > 0 ? 2 : 0;
            }
            best = Math.max(best, level[i]);
        }
        if (best == 0) {
            for (int i = 0; i < answerInfo.size(); i++) {
                List<String> info = answerInfo.get(i);
                if (!info.getLast().equalsIgnoreCase("unknown") && info.size() > 1 && groups.contains(fold(info.getFirst()))) level[i] = 1;
            }
            best = 1;
        }
        int target = -1;
        for (int i = 0; i < level.length; i++) {
            if (level[i] != best) continue;
            if (target >= 0) return -1;
            target = i;
        }
        return target;
    }

    private static final Map<String, String> GENDER = Map.of(
            "woman", "f", "women", "f", "girl", "f", "female", "f",
            "man", "m", "men", "m", "boy", "m", "male", "m");

    private static String fold(String s) {
        String n = s.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
        return GENDER.getOrDefault(n, n);
    }
}
