package dev.assay.run;

import dev.assay.AssayException;
import dev.assay.event.ModelCall;
import dev.assay.model.Capabilities;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A run's token and cost totals per role, summed from the model calls recorded in its log (usage.json).
 * Calls answered from the response cache are counted but cost nothing. Prices come from --price
 * (USD per million prompt:completion tokens) or else from the provider's declared capabilities.
 * {@code engine}: what each role's provider counted while this process ran it ({@link
 * dev.assay.model.Model#counters()}, e.g. the embedded engine's prefix-cache hits); empty when re-scored.
 */
public record Usage(Map<String, RoleUsage> roles, double usd, Map<String, Map<String, Long>> engine,
                    java.util.List<Results.Distribution> latency) {
    public static final String FILE = "usage.json";

    /** {@code latency}: per role, the latency of its uncached successful calls (timing, so not in results.json). */
    public Usage {
        latency = latency == null ? java.util.List.of() : java.util.List.copyOf(latency);
    }

    /** One role's totals; {@code promptTokens} and {@code completionTokens} count uncached calls only. */
    public record RoleUsage(String model, long calls, long cachedCalls, long promptTokens, long completionTokens,
                            double usdPerMillionPrompt, double usdPerMillionCompletion, double usd) {
    }

    static Usage of(Collection<SampleRecord> records, Map<String, String> prices, Map<String, Capabilities> declared,
                    Map<String, Map<String, Long>> engine) {
        Map<String, long[]> sums = new LinkedHashMap<>();
        Map<String, String> models = new LinkedHashMap<>();
        for (SampleRecord r : records) {
            for (ModelCall c : r.modelCalls()) {
                long[] s = sums.computeIfAbsent(c.role(), k -> new long[4]);
                models.putIfAbsent(c.role(), c.model());
                s[0]++;
                if (c.cached()) s[1]++;
                else {
                    s[2] += c.promptTokens();
                    s[3] += c.completionTokens();
                }
            }
        }
        Map<String, RoleUsage> out = new LinkedHashMap<>();
        double total = 0;
        for (var e : sums.entrySet()) {
            double[] p = price(e.getKey(), prices, declared.get(e.getKey()));
            long[] s = e.getValue();
            double usd = (s[2] * p[0] + s[3] * p[1]) / 1e6;
            total += usd;
            out.put(e.getKey(), new RoleUsage(models.get(e.getKey()), s[0], s[1], s[2], s[3], p[0], p[1], usd));
        }
        return new Usage(out, total, engine, Distributions.latencies(records));
    }

    private static double[] price(String role, Map<String, String> prices, Capabilities caps) {
        String given = prices.get(role);
        if (given != null) return parsePrice(role, given);
        return caps == null ? new double[2] : new double[]{caps.usdPerMillionPromptTokens(), caps.usdPerMillionCompletionTokens()};
    }

    /** "2.5:10" → {2.5, 10}; the message names the option. */
    public static double[] parsePrice(String role, String value) {
        String[] parts = value.split(":");
        try {
            if (parts.length != 2) throw new NumberFormatException();
            double in = Double.parseDouble(parts[0].strip()), out = Double.parseDouble(parts[1].strip());
            if (in < 0 || out < 0 || Double.isNaN(in) || Double.isNaN(out)) throw new NumberFormatException();
            return new double[]{in, out};
        } catch (NumberFormatException e) {
            throw new AssayException("--price " + role + "=" + value + ": expected PROMPT:COMPLETION in USD per million tokens, e.g. --price "
                    + role + "=2.5:10");
        }
    }

    /** One line for the console: tokens and cost per role. */
    public String summary() {
        StringBuilder sb = new StringBuilder("usage:");
        roles.forEach((role, u) -> sb.append(String.format(Locale.ROOT, " %s calls=%d cached=%d prompt_tokens=%d completion_tokens=%d",
                role, u.calls(), u.cachedCalls(), u.promptTokens(), u.completionTokens())));
        sb.append(String.format(Locale.ROOT, " usd=%.4f", usd));
        engine.forEach((role, counts) -> {
            if (counts.isEmpty()) return;
            sb.append("\nengine: ").append(role);
            counts.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        });
        return sb.toString();
    }
}
