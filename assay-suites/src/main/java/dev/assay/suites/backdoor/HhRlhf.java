package dev.assay.suites.backdoor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.assay.AssayException;
import dev.assay.data.DataFile;
import dev.assay.data.DataStore;
import dev.assay.data.Sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * User requests from anthropics/hh-rlhf's harmless-base test split: the first human turn of each
 * conversation's {@code chosen} transcript ("\n\nHuman: …\n\nAssistant: …"), as the gzipped JSONL upstream
 * ships it. Sample ids are {@code harmless-base:LINE}.
 */
final class HhRlhf {
    static final DataFile TEST = new DataFile("hh-rlhf", "anthropics/hh-rlhf", "354e5c3cb8960630860dd5774a6ac2a58313bf4d",
            "harmless-base/test.jsonl.gz", "ebfaaed21162a4de120ae85366075b34425e2a6303fac59b99555002f7016f03", 742801);
    private static final ObjectMapper JSON = new ObjectMapper();

    private HhRlhf() {
    }

    static List<Sample> load(DataFile file, DataStore data, int limit) {
        Path p = data.resolve(file);
        List<Sample> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(p)), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null && (limit <= 0 || out.size() < limit)) {
                n++;
                if (line.isBlank()) continue;
                String where = p + ":" + n;
                JsonNode row;
                try {
                    row = JSON.readTree(line);
                } catch (IOException e) {
                    throw new AssayException(where + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
                }
                JsonNode chosen = row.get("chosen");
                if (chosen == null || !chosen.isTextual()) throw new AssayException(where + ": expected a text field 'chosen'");
                String human = firstHuman(chosen.asText());
                if (human == null) throw new AssayException(where + ": 'chosen' has no \"\\n\\nHuman: …\\n\\nAssistant:\" turn");
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("dataset", "harmless-base");
                meta.put("line", n);
                out.add(new Sample("harmless-base:" + n, human, List.of(), null, meta));
            }
        } catch (IOException e) {
            throw new AssayException(p + ": cannot read it as gzipped JSONL (" + e.getMessage() + ")", e);
        }
        return out;
    }

    /** The text of the first "Human:" turn, up to the first "\n\nAssistant:"; null when there is none. */
    static String firstHuman(String transcript) {
        String open = "\n\nHuman: ";
        int start = transcript.indexOf(open);
        if (start < 0) return null;
        start += open.length();
        int end = transcript.indexOf("\n\nAssistant:", start);
        if (end < 0) return null;
        String turn = transcript.substring(start, end).strip();
        return turn.isEmpty() ? null : turn;
    }
}
