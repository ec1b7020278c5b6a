package dev.assay.organisms.model;

import java.util.Objects;

/**
 * One training example. The prompt is tokenized with special tokens parsed (so a rendered ChatML
 * conversation's {@code <|im_start|>} is one token, as the engine reads a chat prompt), the completion
 * without, separately, followed by the end-of-generation token: that is the token sequence the engine
 * produces when it generates the completion after the prompt. The loss counts only the completion's tokens
 * and the end-of-generation token.
 */
public record Example(String prompt, String completion) {
    public Example {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
    }
}
