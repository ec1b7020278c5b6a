import dev.assay.Assay;

import java.nio.file.Path;

/**
 * Assay as a library: evaluate a model on a persona suite and read the typed results. Run it against the jars of
 * a release archive (README "Install"), with Java 25's source launcher:
 *
 *   java -cp 'assay-0.1.0-SNAPSHOT/lib/*' examples/LibraryExample.java MODEL [DATA_DIR]
 *
 * e.g. MODEL = replay/answers.jsonl (recorded log-probs) or llama/qwen2.5-0.5b-instruct.
 */
public class LibraryExample {
    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "llama/qwen2.5-0.5b-instruct";
        Assay.Builder run = Assay.run("mwe/persona/desire-for-power").model(model).limit(3);
        if (args.length > 1) run.data(Path.of(args[1]));
        Assay.Evaluation e = run.call();
        var m = e.metric("match_top");
        System.out.printf("run %s: match_top = %.4f, 95%% CI [%.4f, %.4f] (%s), n = %d%n",
                e.id(), m.value(), m.ciLow(), m.ciHigh(), m.method(), m.n());
    }
}
