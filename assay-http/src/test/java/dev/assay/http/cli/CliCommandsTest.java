package dev.assay.http.cli;

import dev.assay.cache.CachingModel;
import dev.assay.cache.ResponseCache;
import dev.assay.http.fake.FakeServer;
import dev.assay.model.GenerateRequest;
import dev.assay.model.ModelOptions;
import dev.assay.model.Prompt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CliCommandsTest {

    record Result(int code, String out, String err) {
    }

    static Result run(Object command, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cli = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println(e.getMessage());
            return 2;
        });
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void cacheListPruneClear(@TempDir Path store) {
        try (var server = FakeServer.start(FakeServer.Options.defaults());
             var model = CachingModel.open("openai-compatible/fake-1",
                     new ModelOptions(List.of(server.baseUrl().toString()), null, store, Map.of()))) {
            for (int i = 0; i < 3; i++) model.generate(GenerateRequest.greedy(new Prompt.Text("p" + i), 4, List.of(), null));
            model.generate(GenerateRequest.greedy(new Prompt.Text("p0"), 4, List.of(), null));
            assertThat(server.completed()).isEqualTo(3);
        }
        var list = run(new CacheCommand(), "--out", store.toString(), "list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("openai-compatible/fake-1").contains("generate").contains("3 cached answers");

        var prune = run(new CacheCommand(), "--out", store.toString(), "prune", "--older-than", "1h");
        assertThat(prune.out()).contains("pruned 0");
        var pruneOther = run(new CacheCommand(), "--out", store.toString(), "prune", "--older-than", "0s", "--model", "openai/other");
        assertThat(pruneOther.out()).contains("pruned 0");
        var bad = run(new CacheCommand(), "--out", store.toString(), "prune", "--older-than", "soon");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--older-than soon");

        var clear = run(new CacheCommand(), "--out", store.toString(), "clear");
        assertThat(clear.out()).contains("cleared 3");
        try (var cache = ResponseCache.open(store)) {
            assertThat(cache.size()).isZero();
        }
    }

    @Test
    void cacheCommandNamesAMissingStore(@TempDir Path dir) {
        var r = run(new CacheCommand(), "--out", dir.resolve("nowhere").toString(), "list");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no response cache").contains("nowhere");
    }
}
