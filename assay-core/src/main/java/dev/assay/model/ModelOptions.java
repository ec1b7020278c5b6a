package dev.assay.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Options a provider may need to open a model, from the command line or environment. Providers read
 * what concerns them and ignore the rest.
 *
 * @param baseUrls   endpoints for HTTP providers (several are load-balanced), without user-info: a key
 *                   written as http://user:KEY@host is dropped here, so no log, header or message holds it
 * @param cacheDir   where downloaded models live ({@code ASSAY_MODELS})
 * @param workDir    the run store, for providers that keep state (response cache, batch jobs)
 * @param extra      provider-specific settings (e.g. "threads", "ctx", "timeout")
 */
public record ModelOptions(List<String> baseUrls, Path cacheDir, Path workDir, Map<String, String> extra) {
    public ModelOptions {
        baseUrls = baseUrls == null ? List.of() : baseUrls.stream().map(ModelOptions::withoutUserInfo).toList();
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public static ModelOptions defaults() {
        return new ModelOptions(List.of(), null, null, Map.of());
    }

    private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@");

    /**
     * {@code url} without its user-info ("http://u:KEY@host/v1" becomes "http://host/v1"). Works on text
     * that is not a valid URI too, so a message about a bad URL cannot leak the key either.
     */
    public static String withoutUserInfo(String url) {
        return url == null ? null : USER_INFO.matcher(url.strip()).replaceFirst("$1");
    }

    public String extra(String key, String fallback) {
        return extra.getOrDefault(key, fallback);
    }
}
