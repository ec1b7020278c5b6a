package dev.assay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.assay.AssayException;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Option defaults from the environment (ASSAY_LIMIT for --limit, ASSAY_MODEL_BASE_URL for
 * --model-base-url) and from a YAML run file named by ASSAY_CONFIG (keys are option names without the
 * dashes: {@code limit: 50}). The command line wins over both; the environment wins over the file.
 */
final class Defaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> env;
    private JsonNode file;

    Defaults(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        if (!(arg instanceof CommandLine.Model.OptionSpec opt)) return null;
        String name = opt.longestName().replaceFirst("^-+", "");
        String v = env.get("ASSAY_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        if (v != null) return v;
        JsonNode f = file();
        if (f != null && f.has(name)) {
            JsonNode n = f.get(name);
            if (n.isArray()) {
                List<String> parts = new ArrayList<>();
                n.forEach(e -> parts.add(e.asText()));
                return String.join(",", parts);
            }
            return n.asText();
        }
        return null;
    }

    /**
     * A key of the ASSAY_CONFIG file that names no option of any command is a typo ({@code limt: 5} was ignored):
     * bad input, with the nearest option names.
     */
    void checkKeys(java.util.Set<String> options) {
        JsonNode f = file();
        if (f == null) return;
        for (var it = f.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!options.contains(key)) {
                throw new AssayException("ASSAY_CONFIG=" + env.get("ASSAY_CONFIG") + ": unknown key '" + key + "'"
                        + Typos.orStop(dev.assay.Suggestions.didYouMean(key, options))
                        + " Keys are option names without the dashes (limit: 50); 'assay help run' lists them.");
            }
        }
    }

    private JsonNode file() {
        if (file != null) return file;
        String path = env.get("ASSAY_CONFIG");
        if (path == null || path.isBlank()) return null;
        try {
            file = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of(path)));
        } catch (IOException e) {
            throw new AssayException("ASSAY_CONFIG=" + path + ": cannot read the YAML run file (" + e.getMessage() + ")");
        }
        if (file != null && !file.isObject()) throw new AssayException("ASSAY_CONFIG=" + path + ": expected a YAML mapping of option: value");
        return file;
    }
}
