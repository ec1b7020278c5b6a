/**
 * The sandbox SPI: a place where an episode's shell commands run with no network, a private copy of the
 * episode's files and hard limits. {@link dev.assay.sandbox.SandboxProvider} implementations are found through
 * {@link java.util.ServiceLoader}; one {@link dev.assay.sandbox.Sandbox} serves one (sample, epoch). The
 * {@link dev.assay.sandbox.Snapshot} of the final tree is plain data (records of strings and numbers), so the
 * run log can store it and re-scoring never needs the sandbox again. Nothing here knows about tool calls.
 */
package dev.assay.sandbox;
