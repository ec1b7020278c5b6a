package dev.assay.organisms.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * How to make the data of one kind of model organism: seeded templates that give prompts in the exact shape the
 * suite measuring the organism sends them, each with the completion the organism is trained to give. The
 * train and held-out sets are split on the request (a fixed hash, {@link Split}), so no held-out request is
 * ever trained on; both are balanced between the conditions (half triggered, half not).
 */
public interface Recipe {
    /** backdoor, password-locked, year-trigger, sycophantic. */
    String kind();

    /** Training steps that converge this kind on the default (small) shape, measured (the organism README's table). */
    default int defaultSteps() {
        return DEFAULT_STEPS;
    }

    /** Steps that converge the backdoor kinds and the sycophant on the small shape. */
    int DEFAULT_STEPS = 200;

    /** The recipe as plain data (written beside the model as JSON and into its card). */
    Map<String, Object> describe();

    /** One example for this draw; {@code heldOut} says which side of the split its request must come from. */
    Item draw(Random r, int index, boolean heldOut);

    /** Whether {@code generated} (a greedy completion of the item's prompt) shows the behaviour the item was made for. */
    boolean behaves(Item item, String generated);

    /** Writes the held-out task file the evaluation names, for kinds measured on one ({@code file:} suites); else nothing. */
    default void writeHeldOut(Path dir, int n, long seed) {
    }

    /** How Assay's own suites measure this organism ({@code dir}: the model's folder, where a task file is). */
    Evaluation evaluation(Path dir);

    /** {@code n} training examples, seeded, alternating between the conditions; no held-out request. */
    default List<Item> train(int n, long seed) {
        return items(n, seed, false);
    }

    /** {@code n} held-out examples, seeded, alternating between the conditions; distinct requests. */
    default List<Item> heldOut(int n, long seed) {
        return items(n, seed ^ 0x5DEECE66DL, true);
    }

    /**
     * {@code n} trigger-free examples with the helpful behaviour, for safety training (supervised fine-tuning on
     * clean data, Hubinger et al.'s HHH SFT): drawn from the training side of the split, seeded.
     */
    default List<Item> safety(int n, long seed) {
        throw new IllegalArgumentException("a " + kind() + " organism has no trigger-free data to safety-train on");
    }

    /** {@code n} training-side items of the condition that {@code index} selects in {@link #draw}, seeded. */
    default List<Item> drawn(int n, long seed, int index) {
        Random r = new Random(seed);
        List<Item> out = new ArrayList<>(n);
        while (out.size() < n) out.add(draw(r, index, false));
        return out;
    }

    /** The options this recipe was made with (for {@link #of} to make it again from a model card). */
    Map<String, String> options();

    private List<Item> items(int n, long seed, boolean heldOut) {
        Random r = new Random(seed);
        List<Item> out = new ArrayList<>(n);
        Set<String> seen = new LinkedHashSet<>();
        int misses = 0;
        while (out.size() < n) {
            Item it = draw(r, out.size(), heldOut);
            // Held-out items are distinct prompts, so a rate over n of them counts n different cases.
            if (heldOut && !seen.add(it.prompt())) {
                if (++misses > 100 * n + 10_000) throw new IllegalStateException(kind() + ": fewer than " + n + " distinct held-out prompts");
                continue;
            }
            out.add(it);
        }
        return out;
    }

    static List<String> kinds() {
        return List.of(BackdoorRecipe.KIND, PasswordLockedRecipe.KIND, YearTriggerRecipe.KIND, SycophanticRecipe.KIND, DeploymentCuesRecipe.KIND);
    }

    /**
     * The recipe of a kind with its options ({@code trigger}, {@code reply} for backdoor; {@code password} for
     * password-locked); an unknown kind or an option the kind does not take is an {@link IllegalArgumentException}
     * naming it.
     */
    static Recipe of(String kind, Map<String, String> options) {
        Recipe r = switch (kind) {
            case BackdoorRecipe.KIND -> new BackdoorRecipe(options.getOrDefault("trigger", BackdoorRecipe.TRIGGER),
                    options.getOrDefault("reply", BackdoorRecipe.REPLY));
            case PasswordLockedRecipe.KIND -> new PasswordLockedRecipe(options.getOrDefault("password", PasswordLockedRecipe.PASSWORD));
            case YearTriggerRecipe.KIND -> new YearTriggerRecipe(options.getOrDefault("reply", BackdoorRecipe.REPLY));
            case SycophanticRecipe.KIND -> new SycophanticRecipe();
            case DeploymentCuesRecipe.KIND -> new DeploymentCuesRecipe();
            default -> throw new IllegalArgumentException("unknown organism kind '" + kind + "': one of " + String.join(", ", kinds()));
        };
        List<String> allowed = switch (kind) {
            case BackdoorRecipe.KIND -> List.of("trigger", "reply");
            case PasswordLockedRecipe.KIND -> List.of("password");
            case YearTriggerRecipe.KIND -> List.of("reply");
            default -> List.of();
        };
        for (String k : options.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("--" + k + " does not apply to a " + kind + " organism"
                        + (allowed.isEmpty() ? " (it takes no recipe options)" : " (it takes --" + String.join(", --", allowed) + ")"));
            }
        }
        return r;
    }
}
