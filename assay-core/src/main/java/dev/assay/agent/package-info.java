/**
 * The agent loop: a model acts in a {@link dev.assay.sandbox.Sandbox} through the shell tool, natively or
 * through the text protocol, until it stops calling tools or a limit is reached. {@link dev.assay.agent.AgentLoop}
 * is the door; {@link dev.assay.agent.AgentListener} hears each model call, tool call, tool result and the
 * final snapshot, so a caller can log them as typed events.
 */
package dev.assay.agent;
