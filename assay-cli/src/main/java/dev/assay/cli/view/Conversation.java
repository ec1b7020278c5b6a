package dev.assay.cli.view;

import dev.assay.event.Event;
import dev.assay.event.ModelCall;
import dev.assay.event.Note;
import dev.assay.event.Origin;
import dev.assay.event.SandboxSnapshot;
import dev.assay.event.ToolCall;
import dev.assay.event.ToolResult;
import dev.assay.sandbox.FileChange;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.assay.cli.report.HtmlReport.esc;

/**
 * A sample's events read as a conversation: each model call's new turns (a later call re-sends the dialogue so
 * far; only what it adds is shown), the model's reply and the tools it asked for, each command and its output,
 * notes, and the sandbox's final files as a diff against the fixture. Raw text prompts are split at the papers'
 * "\n\nHuman:" / "\n\nAssistant:" markers.
 */
final class Conversation {
    private static final Pattern TURN = Pattern.compile("(?:^|\\n\\n)(Human|Assistant|H|A|User|System):");

    private Conversation() {
    }

    /** One bubble: who, what (plain text, escaped when drawn), and a CSS class. */
    record Turn(String who, String text, String kind) {
    }

    static String html(List<Event> events) {
        StringBuilder h = new StringBuilder("<div id=\"transcript\">\n");
        Map<String, Object> lastPrompt = new java.util.HashMap<>();
        Map<String, String> lastReply = new java.util.HashMap<>();
        for (Event e : events) {
            switch (e) {
                case ModelCall c -> {
                    String key = c.role() + "\u0000" + c.origin();
                    for (Turn t : newTurns(lastPrompt.get(key), lastReply.get(key), c.prompt())) bubble(h, t);
                    lastPrompt.put(key, c.prompt());
                    String reply = reply(c);
                    lastReply.put(key, reply);
                    String who = (c.origin() == Origin.SCORER ? "scorer " : "") + (c.role().equals("model") ? "model" : c.role())
                            + " · " + c.op() + (c.cached() ? " · cached" : "");
                    if (c.error() != null) bubble(h, new Turn(who, "error: " + c.error(), "error"));
                    else bubble(h, new Turn(who, reply, c.origin() == Origin.SCORER ? "scorer" : "assistant"));
                    if (c.response().get("tool_calls") instanceof List<?> calls && !calls.isEmpty()) {
                        h.append("<p class=\"note\">asks for ").append(calls.size()).append(" tool call(s), below</p>\n");
                    }
                }
                case ToolCall t -> bubble(h, new Turn("tool call · " + t.name(), command(t.arguments()), "tool-call"));
                case ToolResult r -> {
                    StringBuilder out = new StringBuilder(r.output() == null ? "" : r.output());
                    if (r.stderr() != null && !r.stderr().isEmpty()) out.append(out.isEmpty() ? "" : "\n").append("[stderr]\n").append(r.stderr());
                    String who = "tool result · " + r.name() + (r.exitCode() == null ? "" : " · exit " + r.exitCode())
                            + (r.stop() == null ? "" : " · stopped: " + r.stop());
                    bubble(h, new Turn(who, out.toString(), r.isError() ? "tool-result error" : "tool-result"));
                }
                case Note n -> bubble(h, new Turn("note · " + n.step(), n.text(), "note"));
                case SandboxSnapshot s -> diff(h, s);
            }
        }
        return h.append("</div>\n").toString();
    }

    private static void bubble(StringBuilder h, Turn t) {
        h.append("<div class=\"turn ").append(esc(t.kind())).append("\"><div class=\"who\">").append(esc(t.who()))
                .append("</div><div class=\"text\">").append(esc(t.text())).append("</div></div>\n");
    }

    /** The command of a shell call ({"command": "ls"}), else the arguments as JSON. */
    static String command(Map<String, Object> args) {
        if (args != null && args.size() == 1 && args.values().iterator().next() instanceof String s) return "$ " + s;
        return String.valueOf(args);
    }

    /** What the model answered: its text, its chosen option's log-probs, or the response as it is. */
    static String reply(ModelCall c) {
        Map<String, Object> r = c.response();
        if (r.get("text") instanceof String s && !r.containsKey("texts")) return s;
        if (r.get("logprobs") instanceof List<?> lp && c.request().get("continuations") instanceof List<?> options && lp.size() == options.size()) {
            StringBuilder sb = new StringBuilder("log-probabilities:");
            for (int i = 0; i < lp.size(); i++) sb.append("\n  ").append(options.get(i)).append(" → ").append(lp.get(i));
            return sb.toString();
        }
        return String.valueOf(r);
    }

    /** The turns {@code prompt} adds to {@code previous} (the same role's last prompt), skipping the reply already shown. */
    static List<Turn> newTurns(Object previous, String previousReply, Object prompt) {
        if (prompt instanceof String text) {
            String rest = text;
            if (previous instanceof String p && text.startsWith(p)) {
                rest = text.substring(p.length());
                if (previousReply != null && rest.startsWith(previousReply)) rest = rest.substring(previousReply.length());
            }
            return rawTurns(rest);
        }
        if (prompt instanceof Map<?, ?> chat && chat.get("messages") instanceof List<?> messages) {
            int from = 0;
            if (previous instanceof Map<?, ?> p && p.get("messages") instanceof List<?> before
                    && before.size() <= messages.size() && messages.subList(0, before.size()).equals(before)) {
                from = before.size();
            }
            List<Turn> out = new ArrayList<>();
            for (Object m : messages.subList(from, messages.size())) {
                if (!(m instanceof Map<?, ?> msg)) continue;
                String role = String.valueOf(msg.get("role"));
                // Replies and tool results were drawn from their own events already.
                if (from > 0 && (role.equals("assistant") || role.equals("tool"))) continue;
                out.add(new Turn(role, String.valueOf(msg.get("content")), role.toLowerCase(Locale.ROOT)));
            }
            if (chat.get("prefill") instanceof String pre && !pre.isEmpty()) out.add(new Turn("assistant (prefill)", pre, "prefill"));
            return out;
        }
        return prompt == null ? List.of() : List.of(new Turn("prompt", String.valueOf(prompt), "user"));
    }

    /** "\n\nHuman: … \n\nAssistant: …" as turns; text before the first marker is a preamble, the last Assistant: the prefill. */
    static List<Turn> rawTurns(String text) {
        List<Turn> out = new ArrayList<>();
        Matcher m = TURN.matcher(text);
        int at = 0;
        String who = null;
        while (m.find()) {
            String body = text.substring(at, m.start());
            if (who != null || !body.isBlank()) out.add(turn(who, body));
            who = m.group(1);
            at = m.end();
        }
        String last = text.substring(at);
        if (who != null || !last.isBlank()) {
            Turn t = turn(who, last);
            if (who != null && t.kind().equals("assistant")) t = new Turn("assistant (prefill)", t.text(), "prefill");
            out.add(t);
        }
        return out;
    }

    private static Turn turn(String marker, String body) {
        String text = body.strip();
        if (marker == null) return new Turn("text", text, "user");
        return switch (marker) {
            case "Assistant", "A" -> new Turn("assistant", text, "assistant");
            case "System" -> new Turn("system", text, "system");
            default -> new Turn("user", text, "user");
        };
    }

    // ---- the sandbox's files -----------------------------------------------------------------------

    private static void diff(StringBuilder h, SandboxSnapshot s) {
        var shot = s.snapshot();
        h.append("<div class=\"turn sandbox\"><div class=\"who\">sandbox · final files: ").append(shot.changes().size())
                .append(" changed, ").append(shot.unchangedFiles()).append(" unchanged</div>\n");
        for (FileChange f : shot.changes()) {
            h.append("<div class=\"file\"><div class=\"path\">").append(esc(f.change().name().toLowerCase(Locale.ROOT))).append(" ")
                    .append(esc(f.path())).append(" <span class=\"note\">").append(esc(f.type())).append(", ").append(f.size()).append(" bytes")
                    .append(f.linkTarget() == null ? "" : ", → " + esc(f.linkTarget())).append("</span></div>");
            String before = f.change() == FileChange.Change.ADDED ? "" : f.fixtureText();
            String after = f.change() == FileChange.Change.REMOVED ? "" : f.text();
            if (f.change() == FileChange.Change.REMOVED && before == null) before = "";
            if (before == null || after == null) {
                h.append("<p class=\"note\">").append(after == null && f.change() != FileChange.Change.REMOVED
                        ? "binary or large: contents not recorded (sha256 " + esc(String.valueOf(f.sha256())) + ")"
                        : "the fixture's contents were not recorded (a log from before fixtureText)").append("</p>");
                if (after != null) h.append("<pre class=\"diff\">").append(esc(after)).append("</pre>");
            } else {
                h.append("<pre class=\"diff\">").append(unified(before, after)).append("</pre>");
            }
            h.append("</div>\n");
        }
        h.append("</div>\n");
    }

    /** A line diff (longest common subsequence), as escaped HTML: "-" lines removed, "+" added, " " kept. */
    static String unified(String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        if ((long) a.size() * b.size() > 4_000_000L) { // too big for the table: old, then new
            StringBuilder sb = new StringBuilder();
            a.forEach(l -> sb.append("<span class=\"del\">-").append(esc(l)).append("</span>\n"));
            b.forEach(l -> sb.append("<span class=\"add\">+").append(esc(l)).append("</span>\n"));
            return sb.toString();
        }
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--)
            for (int j = b.size() - 1; j >= 0; j--)
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                sb.append(" ").append(esc(a.get(i))).append("\n");
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                sb.append("<span class=\"del\">-").append(esc(a.get(i))).append("</span>\n");
                i++;
            } else {
                sb.append("<span class=\"add\">+").append(esc(b.get(j))).append("</span>\n");
                j++;
            }
        }
        return sb.toString();
    }

    private static List<String> lines(String s) {
        if (s.isEmpty()) return List.of();
        List<String> out = new ArrayList<>(List.of(s.split("\n", -1)));
        if (out.getLast().isEmpty()) out.removeLast(); // a final newline ends the last line
        return out;
    }
}
