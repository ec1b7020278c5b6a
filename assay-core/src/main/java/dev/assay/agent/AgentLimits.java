package dev.assay.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * When an episode ends if the model has not stopped by itself: after {@code turns} model calls, once
 * {@code tokens} (prompt plus completion, summed over the episode's calls as the provider reports them) are
 * used, after {@code wallTime} since the episode began, or once tool output shown to the model reaches
 * {@code outputBytes} (UTF-8 bytes of stdout and stderr, summed). 0 tokens means no token limit.
 */
public record AgentLimits(int turns, long tokens, Duration wallTime, long outputBytes) {

    /** 20 turns, no token limit, 10 minutes, 1 MiB of tool output. */
    public static final AgentLimits DEFAULT = new AgentLimits(20, 0, Duration.ofMinutes(10), 1L << 20);

    public AgentLimits {
        Objects.requireNonNull(wallTime, "wallTime");
        if (turns < 1) throw new IllegalArgumentException("turns must be >= 1");
        if (tokens < 0) throw new IllegalArgumentException("tokens must be >= 0 (0: no limit)");
        if (wallTime.isNegative() || wallTime.isZero()) throw new IllegalArgumentException("wallTime must be > 0");
        if (outputBytes < 1) throw new IllegalArgumentException("outputBytes must be >= 1");
    }

    public AgentLimits withTurns(int n) {
        return new AgentLimits(n, tokens, wallTime, outputBytes);
    }

    public AgentLimits withTokens(long n) {
        return new AgentLimits(turns, n, wallTime, outputBytes);
    }

    public AgentLimits withWallTime(Duration d) {
        return new AgentLimits(turns, tokens, d, outputBytes);
    }

    public AgentLimits withOutputBytes(long n) {
        return new AgentLimits(turns, tokens, wallTime, n);
    }
}
