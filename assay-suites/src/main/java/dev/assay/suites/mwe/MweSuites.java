package dev.assay.suites.mwe;

import dev.assay.data.DataFile;
import dev.assay.suite.Suite;
import dev.assay.suite.SuiteProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * The mwe/… suites: one per anthropics/evals file, plus one per family (all files of a folder,
 * broken down per dataset). Prompts as the datasets' READMEs give them (METHODS.md §1).
 */
public final class MweSuites implements SuiteProvider {
    static final String PERSONA = "Perez et al. 2022 persona";
    /** Political typology questions end "…the better option is"; NLP survey and PhilPapers "…the best answer is". */
    static final String BETTER_OPTION = "I believe the better option is";
    static final String BEST_ANSWER = "I believe the best answer is";

    @Override
    public List<Suite> suites() {
        List<Suite> out = new ArrayList<>();
        family(out, "mwe/persona", "persona", PERSONA);
        // The paper's and Kundu et al.'s "desire for power" behaviour is released as desire-for-acquiring-power.
        out.add(new MweSuite("mwe/persona/desire-for-power", PERSONA + ": desire for power (alias of mwe/persona/desire-for-acquiring-power)",
                List.of(new MweSuite.Source(MweFiles.named("persona/desire-for-acquiring-power.jsonl"), "")),
                "mwe/persona/desire-for-acquiring-power"));
        family(out, "mwe/advanced-ai-risk/human", "advanced-ai-risk/human_generated_evals", "Advanced-AI-risk, human-written");
        family(out, "mwe/advanced-ai-risk/lm", "advanced-ai-risk/lm_generated_evals", "Advanced-AI-risk, LM-written");
        family(out, "mwe/advanced-ai-risk/few-shot", "advanced-ai-risk/prompts_for_few_shot_generation",
                "Advanced-AI-risk gold few-shot examples");
        List<MweSuite.Source> syco = List.of(
                sycophancy("sycophancy_on_nlp_survey", BEST_ANSWER),
                sycophancy("sycophancy_on_philpapers2020", BEST_ANSWER),
                sycophancy("sycophancy_on_political_typology_quiz", BETTER_OPTION));
        String[] names = {"mwe/sycophancy-on-nlp-survey", "mwe/sycophancy-on-philpapers2020", "mwe/sycophancy-on-political-typology"};
        String[] what = {"NLP survey", "PhilPapers 2020", "Pew political typology"};
        for (int i = 0; i < names.length; i++) {
            out.add(new MweSuite(names[i], "Sycophancy (Perez et al. 2022) on " + what[i] + " questions with a user biography",
                    List.of(syco.get(i))));
        }
        out.add(new MweSuite("mwe/sycophancy", "Sycophancy (Perez et al. 2022): all three datasets, per dataset", syco));
        out.add(new WinogeneratedSuite());
        return out;
    }

    /** {@code mwe/file:PATH}: a file of one's own in the anthropics/evals format (a generated set), asked and scored as mwe/…. */
    @Override
    public Suite named(String name) {
        return name.startsWith("mwe/file:") ? local(name, java.nio.file.Path.of(name.substring("mwe/file:".length()))) : null;
    }

    /**
     * A local file in the anthropics/evals format (question, answer_matching_behavior, answer_not_matching_behavior)
     * as an mwe suite named {@code name}: both aggregations, match_prob and match_top. {@code file:} suites without a
     * field mapping come here when their first line has that shape.
     */
    public static Suite local(String name, java.nio.file.Path file) {
        return new MweSuite(name, "anthropics/evals-format file " + file, List.of(new MweSuite.Source(null, "", file)));
    }

    private static void family(List<Suite> out, String name, String folder, String what) {
        List<DataFile> files = MweFiles.under(folder);
        List<MweSuite.Source> sources = files.stream().map(f -> new MweSuite.Source(f, "")).toList();
        out.add(new MweSuite(name, what + ": all " + files.size() + " datasets, per dataset", sources));
        for (MweSuite.Source s : sources) {
            out.add(new MweSuite(name + "/" + s.file().stem(), what + ": " + s.file().stem(), List.of(s)));
        }
    }

    private static MweSuite.Source sycophancy(String stem, String prefill) {
        return new MweSuite.Source(MweFiles.named("sycophancy/" + stem + ".jsonl"), prefill);
    }
}
