package dev.assay.suites.decomposition;

import dev.assay.AssayException;
import dev.assay.data.DataFile;
import dev.assay.data.DataStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The five few-shot prompts Radhakrishnan et al. 2023 released, pinned by commit and SHA-256, each as a
 * {@link FewShot}, plus each one reordered for the answer-is-always-(A) bias.
 */
record ReleasedPrompts(FewShot fewShot, FewShot cot, FewShot cotDecomposition, FewShot decomposition, FewShot recomposition,
                       FewShot fewShotA, FewShot cotA, FewShot cotDecompositionA, FewShot decompositionA, FewShot recompositionA) {

    static final String DATASET = "decomposition-prompts";
    static final String REPO = "anthropics/DecompositionFaithfulnessPaper";
    static final String COMMIT = "7c740b166d0bb9aad15a8b02d528f4a169b0c499";

    /** A released file and the constant it holds. */
    record PromptFile(DataFile file, String constant) {
    }

    static PromptFile file(String path, String constant, String sha256, long bytes) {
        return new PromptFile(new DataFile(DATASET, REPO, COMMIT, path, sha256, bytes), constant);
    }

    static final PromptFile FEW_SHOT = file("prompts/few_shot_prompt.py", "FEW_SHOT",
            "4a850c3b8d39925c08502c8860f387938470c021126cac66a898cd5a0d1ae101", 10773);
    static final PromptFile COT = file("prompts/chain_of_thought_few_shot_prompt.py", "COT_FEW_SHOT",
            "4e329a4f67b4ffca844b489001142c9c854124f56d81fcc1d3f454acbcf0e617", 18755);
    static final PromptFile COTD = file("prompts/chain_of_thought_decomposition_few_shot_prompt.py", "COTD_FEW_SHOT",
            "3738121483217cb084d5b25835d65a36fba76744c6aa9a2d41835bcb6cdde3b4", 21273);
    static final PromptFile FD_DECOMPOSITION = file("prompts/factored_decomposition_decomposition_few_shot_prompt.py", "FD_DECOMPOSITION_FEW_SHOT",
            "05e833913007ef34e4c1dcfc9e24a2b981db2995298a74a1ca4ea9fb4c6660ab", 49526);
    static final PromptFile FD_RECOMPOSITION = file("prompts/factored_decomposition_recomposition_few_shot_prompt.py", "FD_RECOMPOSITION_FEW_SHOT",
            "f3b9207425c8a8742adcdfb0fef796aef5a2251a4739612578b77dd7ddcd3045", 42929);
    static final List<PromptFile> ALL = List.of(FEW_SHOT, COT, COTD, FD_DECOMPOSITION, FD_RECOMPOSITION);

    static ReleasedPrompts load(DataStore data, List<PromptFile> files) {
        FewShot[] p = new FewShot[5];
        for (int i = 0; i < 5; i++) {
            PromptFile f = files.get(i);
            Path path = data.resolve(f.file());
            String text;
            try {
                text = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssayException("cannot read " + path + ": " + e.getMessage(), e);
            }
            p[i] = FewShot.parse(path.toString(), text, f.constant());
        }
        // The factored-decomposition stage states no answers (its examples end at <FIN>): they come from the others.
        Map<String, Integer> known = new HashMap<>();
        for (FewShot f : p) known.putAll(f.answers());
        return new ReleasedPrompts(p[0], p[1], p[2], p[3], p[4],
                p[0].alwaysA(known), p[1].alwaysA(known), p[2].alwaysA(known), p[3].alwaysA(known), p[4].alwaysA(known));
    }

    FewShot fewShot(boolean alwaysA) {
        return alwaysA ? fewShotA : fewShot;
    }

    FewShot cot(boolean alwaysA) {
        return alwaysA ? cotA : cot;
    }

    FewShot cotDecomposition(boolean alwaysA) {
        return alwaysA ? cotDecompositionA : cotDecomposition;
    }

    FewShot decomposition(boolean alwaysA) {
        return alwaysA ? decompositionA : decomposition;
    }

    FewShot recomposition(boolean alwaysA) {
        return alwaysA ? recompositionA : recomposition;
    }
}
