package dev.assay.store;

import dev.assay.AssayException;

import java.util.regex.Pattern;

/**
 * Store locations in messages: a URL's password is never printed. {@link #masked} works on any text, so a
 * malformed URL in an error message cannot leak one either.
 */
public final class StoreUrl {
    private static final Pattern SCHEME = Pattern.compile("^(?i)(postgres(?:ql)?|jdbc:postgresql)://.*", Pattern.DOTALL);
    /** scheme://user:PASSWORD@ → scheme://user:***@ */
    private static final Pattern USER_PASSWORD = Pattern.compile("(://[^/?#@:]*):[^/?#@]*@");
    /** ?password=… or &password=… */
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&](?:password|sslpassword)=)[^&#]*");

    private StoreUrl() {
    }

    /** True for a PostgreSQL URL ({@code postgresql://}, {@code postgres://}); anything else is a folder. */
    public static boolean isPostgres(String location) {
        return location != null && SCHEME.matcher(location.strip()).matches();
    }

    /** {@code location} with any password replaced by {@code ***}. */
    public static String masked(String location) {
        if (location == null) return null;
        String s = USER_PASSWORD.matcher(location).replaceAll("$1:***@");
        return PASSWORD_PARAM.matcher(s).replaceAll("$1***");
    }

    /** Masks every store URL's password inside a longer message (a driver's error, say). */
    public static String maskAll(String message) {
        return message == null ? null : masked(message);
    }

    /**
     * Refuses a URL that carries a password: credentials come only from the environment (PGPASSWORD) or a
     * pgpass file, so no command line, shell history, run header or process list holds one.
     */
    public static void refusePassword(String option, String location) {
        if (!masked(location).equals(location)) {
            throw new AssayException(option + " " + masked(location) + ": a password in the URL is refused; give it in "
                    + "PGPASSWORD or a pgpass file (~/.pgpass, or PGPASSFILE) instead, so no command line or log holds it.");
        }
    }
}
