/**
 * {@code assay view}: a local web viewer over a run store ({@link dev.assay.cli.view.Viewer}, started by
 * {@link dev.assay.cli.view.ViewCommand}); {@code assay bench view} (in assay-bench) times it on a
 * {@link dev.assay.cli.view.SyntheticRun}. Samples are paged through a line-offset index of each
 * run's log, so a page of a 100,000-sample run is a seek.
 */
package dev.assay.cli.view;
