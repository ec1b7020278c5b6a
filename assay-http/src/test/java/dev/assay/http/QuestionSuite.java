package dev.assay.http;

import dev.assay.data.DataStore;
import dev.assay.data.Sample;
import dev.assay.model.GenerateRequest;
import dev.assay.model.Message;
import dev.assay.model.Prompt;
import dev.assay.suite.Dialogue;
import dev.assay.suite.Metric;
import dev.assay.suite.Scorer;
import dev.assay.suite.Solver;
import dev.assay.suite.Suite;
import dev.assay.suite.Key;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A generated suite for end-to-end runs: sample i asks "Question i"; the score is whether the answer is long. */
record QuestionSuite(int size) implements Suite {
    public String name() { return "test/questions"; }

    public String description() { return "numbered questions, one generation each"; }

    public List<Sample> load(DataStore data, int limitPerFile) {
        int n = limitPerFile > 0 ? Math.min(size, limitPerFile) : size;
        var out = new ArrayList<Sample>(n);
        for (int i = 0; i < n; i++) out.add(new Sample("q" + i, "Question " + i, List.of(), "", Map.of()));
        return out;
    }

    public Solver solver() {
        return s -> {
            var prompt = new Prompt.Chat(List.of(Message.user(s.sample().input())), "");
            String text = s.model().generate(GenerateRequest.greedy(prompt, 8, List.of(), s.context().tag())).text();
            s.transcript().method("generative");
            s.set(ANSWER, text);
        };
    }

    static final Key<String> ANSWER = Key.text("answer");

    public Scorer scorer() {
        return (sample, transcript, ctx) -> Map.of("long", String.valueOf(transcript.get(ANSWER)).length() > 20 ? 1.0 : 0.0);
    }

    public List<Metric> metrics() {
        return List.of(new Metric.Mean("long_rate", "share of long answers", "long"));
    }

    public Dialogue preview(Sample sample) { return Dialogue.ask(sample.input(), ""); }

    public int callsPerSample() { return 1; }
}
