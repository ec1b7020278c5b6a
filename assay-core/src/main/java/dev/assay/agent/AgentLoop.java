package dev.assay.agent;

import dev.assay.AssayException;
import dev.assay.model.CallTag;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Generation;
import dev.assay.model.Message;
import dev.assay.model.Model;
import dev.assay.model.Prompt;
import dev.assay.model.ToolCall;
import dev.assay.model.ToolSpec;
import dev.assay.sandbox.ExecResult;
import dev.assay.sandbox.Sandbox;
import dev.assay.sandbox.Snapshot;
import dev.assay.sandbox.StopReason;
import dev.assay.tools.TextToolProtocol;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The agent loop: the model is offered the shell ({@link ToolSpec#bash()}), each call it makes runs in the
 * episode's {@link Sandbox}, the results go back as {@link Message.ToolResult}s, and so on until the model
 * answers without calling a tool or a limit of {@link AgentLimits} is reached; {@link AgentResult#stop()}
 * says which. Limits are checked before every model call and every tool call; calls of a turn that a limit
 * cut short are answered "not run", so the conversation stays one that a provider accepts. A running
 * command gets at most the wall time left (and is killed when it runs out); a model call in flight is not
 * interrupted, so an episode can overrun its wall time by one call.
 *
 * <p>A call to an unknown tool, or a shell call without a string {@code command}, is an error result the
 * model sees, not an exception. A model call that fails (a {@link dev.assay.model.ModelCallException}, which
 * is also what a provider raises for a call it cannot parse at all) ends the episode with that exception,
 * after the sandbox's tree has been reported.
 *
 * <p>Each model call is tagged with step {@code <step>.<turn>} ({@code agent.1}, {@code agent.2}, …; the
 * step is the request's tag's, else "agent"), so replay files and logs tell the turns apart.
 *
 * @param limits     when the episode ends if the model does not stop
 * @param mode       native tool calls or the text protocol
 * @param request    the generation settings of every turn (max tokens, temperature, top-p, seed, stop, tag);
 *                   its prompt and tools are replaced each turn, n is 1
 * @param textPrompt how the text protocol's plain conversation becomes a prompt (a chat by default; a
 *                   raw-text format may render it as text)
 */
public record AgentLoop(AgentLimits limits, ToolMode mode, GenerateRequest request,
                        Function<List<Message>, Prompt> textPrompt) {

    /** The tools the loop runs: the shell. */
    public static final List<ToolSpec> TOOLS = List.of(ToolSpec.bash());

    /** Step of the calls when the request's tag names none. */
    public static final String STEP = "agent";

    public AgentLoop {
        Objects.requireNonNull(limits, "limits");
        mode = mode == null ? ToolMode.AUTO : mode;
        Objects.requireNonNull(request, "request");
        if (request.n() != 1) throw new IllegalArgumentException("the agent loop generates one completion per turn (n = 1)");
        textPrompt = textPrompt == null ? messages -> new Prompt.Chat(messages, "") : textPrompt;
    }

    /** Greedy turns of at most {@code maxTokens}, tagged {@code tag}, chat prompts, {@link ToolMode#AUTO}. */
    public static AgentLoop of(AgentLimits limits, int maxTokens, CallTag tag) {
        return new AgentLoop(limits, ToolMode.AUTO, GenerateRequest.greedy(new Prompt.Chat(List.of(), ""), maxTokens,
                List.of(), tag), null);
    }

    public AgentLoop withMode(ToolMode m) {
        return new AgentLoop(limits, m, request, textPrompt);
    }

    public AgentLoop withLimits(AgentLimits l) {
        return new AgentLoop(l, mode, request, textPrompt);
    }

    public AgentLoop withRequest(GenerateRequest r) {
        return new AgentLoop(limits, mode, r, textPrompt);
    }

    public AgentLoop withTextPrompt(Function<List<Message>, Prompt> f) {
        return new AgentLoop(limits, mode, request, f);
    }

    /** Whether {@code model} gets native tool calls under this loop's mode. */
    public boolean nativeTools(Model model) {
        return switch (mode) {
            case TEXT -> false;
            case NATIVE -> true;
            case AUTO -> model.capabilities().tools();
        };
    }

    /**
     * Runs one episode from {@code start} (the system prompt and the task, usually). The sandbox stays
     * open (its owner closes it); its final tree is snapshotted and reported before this returns or throws.
     */
    public AgentResult run(Model model, Sandbox sandbox, List<Message> start, AgentListener listener) {
        if (mode == ToolMode.NATIVE && !model.capabilities().tools()) {
            throw new AssayException("model " + model.spec() + " does not take native tool calls; use the text protocol");
        }
        return new Episode(model, sandbox, start, listener == null ? AgentListener.NONE : listener).run();
    }

    /** One run of the loop: its conversation and counters. */
    private final class Episode {
        final Model model;
        final Sandbox sandbox;
        final AgentListener listener;
        final boolean nativeTools;
        final List<Message> conversation;
        final long startNanos = System.nanoTime();
        final String step;
        int turns;
        int calls;
        long promptTokens;
        long completionTokens;
        long outputBytes;
        boolean sandboxEnded;
        String finalText = "";

        Episode(Model model, Sandbox sandbox, List<Message> start, AgentListener listener) {
            this.model = model;
            this.sandbox = sandbox;
            this.listener = listener;
            this.nativeTools = nativeTools(model);
            this.conversation = new ArrayList<>(start);
            String s = request.tag().step();
            this.step = s.isEmpty() ? STEP : s;
        }

        AgentResult run() {
            AgentStop stop;
            try {
                stop = loop();
            } catch (RuntimeException | Error e) {
                try {
                    snapshot();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            Snapshot snapshot = snapshot();
            listener.stopped(stop, turns);
            return new AgentResult(conversation, stop, turns, promptTokens, completionTokens, outputBytes,
                    elapsedMillis(), snapshot, finalText);
        }

        AgentStop loop() {
            while (true) {
                AgentStop limit = limitReached();
                if (limit == null && turns >= limits.turns()) limit = AgentStop.TURNS;
                if (limit != null) return limit;

                turns++;
                Message.AssistantTurn said = generate();
                conversation.add(said);
                finalText = said.content();
                if (said.toolCalls().isEmpty()) return AgentStop.NO_TOOL_CALLS;

                AgentStop stoppedBy = null;
                for (ToolCall call : said.toolCalls()) {
                    calls++;
                    listener.toolCall(turns, call);
                    if (stoppedBy == null) stoppedBy = limitReached();
                    if (stoppedBy != null) {
                        answer(call, Message.toolResult(call, "", "not run: the episode's " + stoppedBy + " limit was reached", true), null, 0);
                        continue;
                    }
                    execute(call);
                    if (sandboxEnded) stoppedBy = AgentStop.SANDBOX_ENDED;
                }
                if (stoppedBy != null) return stoppedBy;
            }
        }

        /** The limit other than turns that is reached now, or null. */
        AgentStop limitReached() {
            if (sandboxEnded) return AgentStop.SANDBOX_ENDED;
            if (remaining().toMillis() < 1) return AgentStop.WALL_TIME;
            if (limits.tokens() > 0 && promptTokens + completionTokens >= limits.tokens()) return AgentStop.TOKENS;
            if (outputBytes >= limits.outputBytes()) return AgentStop.OUTPUT_BYTES;
            return null;
        }

        Message.AssistantTurn generate() {
            CallTag tag = request.tag().withStep(step + "." + turns);
            GenerateRequest req;
            if (nativeTools) {
                req = request.withPrompt(new Prompt.Chat(conversation, "")).withTools(TOOLS);
            } else {
                var stop = new LinkedHashSet<>(request.stop());
                stop.addAll(TextToolProtocol.stopSequences(TOOLS));
                req = request.withPrompt(textPrompt.apply(TextToolProtocol.plainMessages(conversation, TOOLS)))
                        .withTools(List.of()).withStop(List.copyOf(stop));
            }
            req = new GenerateRequest(req.prompt(), req.maxTokens(), req.temperature(), req.topP(), req.seed(),
                    req.stop(), 1, req.topLogprobs(), tag, req.tools());
            long t0 = System.nanoTime();
            Generation g = model.generate(req);
            listener.modelCall(turns, req, g, (System.nanoTime() - t0) / 1_000_000);
            promptTokens += g.promptTokens();
            completionTokens += g.completionTokens();
            Generation.Completion c = g.completions().getFirst();
            if (nativeTools) return new Message.AssistantTurn(c.text(), c.toolCalls());
            TextToolProtocol.Parsed p = TextToolProtocol.parse(c.text(), TOOLS, calls);
            return p.calls().isEmpty() ? new Message.AssistantTurn(c.text(), List.of())
                    : new Message.AssistantTurn(p.text(), p.calls());
        }

        void execute(ToolCall call) {
            long t0 = System.nanoTime();
            if (TOOLS.stream().noneMatch(t -> t.name().equals(call.name()))) {
                answer(call, Message.toolResult(call, "", "unknown tool '" + call.name() + "'; the tools are: "
                        + String.join(", ", TOOLS.stream().map(ToolSpec::name).toList()), true), null, t0);
                return;
            }
            String command = call.argument("command");
            if (command == null) {
                answer(call, Message.toolResult(call, "", "the bash tool takes one string argument, \"command\"; got "
                        + call.arguments(), true), null, t0);
                return;
            }
            Duration wall = remaining();
            boolean cappedByEpisode = wall.compareTo(sandbox.limits().wallTime()) < 0;
            if (!cappedByEpisode) wall = sandbox.limits().wallTime();
            ExecResult r = sandbox.exec(command, wall);
            if (r.stopReason() == StopReason.SANDBOX_ENDED) sandboxEnded = true;

            var stderr = new StringBuilder(r.stderr());
            String why = switch (r.stopReason()) {
                case EXITED -> null;
                case TIMEOUT -> cappedByEpisode ? "killed: the episode's wall time ran out"
                        : "killed: the command ran past its wall time of " + sandbox.limits().wallTime().toSeconds() + " s";
                case CPU -> "killed: the command used up its CPU time";
                case FILE_SIZE -> "killed: the command wrote a file larger than the limit";
                case OUTPUT -> "killed: the command printed more than " + sandbox.limits().outputBytes() + " bytes";
                case SANDBOX_ENDED -> "the sandbox ended";
            };
            if (r.stdoutTruncated() || r.stderrTruncated()) appendLine(stderr, "[output cut at " + sandbox.limits().outputBytes() + " bytes per stream]");
            if (why != null) appendLine(stderr, "[" + why + "]");

            // What the model is shown is cut to the episode's output budget.
            long left = limits.outputBytes() - outputBytes;
            String out = r.stdout();
            String err = stderr.toString();
            long size = utf8(out) + utf8(err);
            if (size > left) {
                out = prefix(out, left);
                err = prefix(err, left - utf8(out));
                size = utf8(out) + utf8(err);
            }
            outputBytes += size;
            answer(call, Message.toolResult(call, out, err, !r.ok()), r, t0);
        }

        void answer(ToolCall call, Message result, ExecResult exec, long t0) {
            conversation.add(result);
            listener.toolResult(turns, call, (Message.ToolResult) result, exec, t0 == 0 ? 0 : (System.nanoTime() - t0) / 1_000_000);
        }

        Snapshot snapshot() {
            Snapshot s;
            try {
                s = sandbox.snapshot();
            } catch (IllegalStateException ended) {
                return null; // the sandbox's tree is gone: nothing to report
            }
            listener.snapshot(s);
            return s;
        }

        Duration remaining() {
            return limits.wallTime().minusNanos(System.nanoTime() - startNanos);
        }

        long elapsedMillis() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }
    }

    private static void appendLine(StringBuilder sb, String line) {
        if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != '\n') sb.append('\n');
        sb.append(line);
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The longest prefix of {@code s} of at most {@code bytes} UTF-8 bytes that does not split a character. */
    static String prefix(String s, long bytes) {
        if (bytes <= 0) return "";
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= bytes) return s;
        int n = (int) bytes;
        while (n > 0 && (b[n] & 0xC0) == 0x80) n--;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
