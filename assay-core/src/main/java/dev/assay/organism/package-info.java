/**
 * Synthetic "model organisms": scripted conditional policies behind the model contract, for tests and
 * demos of the conditional-behaviour suites. Each behaves one way with a set probability when its cue is in
 * the prompt and with another when it is not, deterministically per item (the draw is a hash of the prompt
 * with the cue taken out, so an item draws the same number under every condition). They are test doubles
 * whose behaviour is their recipe: never reported as a model's behaviour. Spec prefix {@code synthetic/}.
 */
package dev.assay.organism;
