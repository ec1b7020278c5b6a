/**
 * A mergeable streaming quantile sketch with a deterministic rank-error bound ({@link dev.assay.sketch.QuantileSketch})
 * and a striped wrapper for many writers ({@link dev.assay.sketch.ConcurrentQuantileSketch}). Depends on nothing
 * else in Assay.
 */
package dev.assay.sketch;
