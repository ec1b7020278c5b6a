package dev.assay.suite;

import dev.assay.data.Sample;
import dev.assay.model.Model;

/**
 * The per-sample state a solver's steps work over: the sample, the conversation so far, and the
 * transcript (events and the typed store). One per (sample, epoch), used by one thread.
 */
public final class SampleState {
    private final Sample sample;
    private final SolveContext context;
    private final Transcript transcript;
    private Dialogue conversation;
    private String reply = "";
    private dev.assay.sandbox.Sandbox sandbox;

    public SampleState(Sample sample, SolveContext context, Transcript transcript) {
        this.sample = sample;
        this.context = context;
        this.transcript = transcript;
        this.conversation = new Dialogue(java.util.List.of(), "");
    }

    /** Solves one sample outside the runner (tests, previews): a fresh transcript, no recorded calls. */
    public static Transcript solve(Solver solver, Sample sample, SolveContext context) {
        SampleState s = new SampleState(sample, context, new Transcript());
        solver.solve(s);
        return s.transcript();
    }

    public Sample sample() {
        return sample;
    }

    public SolveContext context() {
        return context;
    }

    public Transcript transcript() {
        return transcript;
    }

    public Model model() {
        return context.model();
    }

    public Dialogue conversation() {
        return conversation;
    }

    public SampleState conversation(Dialogue d) {
        this.conversation = d;
        return this;
    }

    /** The model's last reply (a chosen option or generated text): what the next user turn follows. */
    public String reply() {
        return reply;
    }

    public SampleState reply(String text) {
        this.reply = text == null ? "" : text;
        return this;
    }

    /**
     * The sample's sandbox, opened by the runner for a suite that declares an {@link Suite#environment()}.
     *
     * @throws dev.assay.AssayException when there is none
     */
    public dev.assay.sandbox.Sandbox sandbox() {
        if (sandbox == null) {
            throw new dev.assay.AssayException("sample " + sample.id() + ": this step needs a sandbox, but the suite "
                    + "declares no environment (Suite.environment())");
        }
        return sandbox;
    }

    public boolean hasSandbox() {
        return sandbox != null;
    }

    /** Set by whoever opened the sandbox (the runner); it also closes it. */
    public SampleState sandbox(dev.assay.sandbox.Sandbox box) {
        this.sandbox = box;
        return this;
    }

    public <T> T get(Key<T> key) {
        return transcript.get(key);
    }

    public <T> SampleState set(Key<T> key, T value) {
        transcript.set(key, value);
        return this;
    }
}
