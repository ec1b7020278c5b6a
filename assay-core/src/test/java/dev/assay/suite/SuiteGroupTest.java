package dev.assay.suite;

import dev.assay.AssayException;
import dev.assay.run.GroupTable;
import dev.assay.run.Results;
import dev.assay.testing.YesNoSuite;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SuiteGroupTest {
    private final YesNoSuite a = new YesNoSuite("x/a", Path.of("a.jsonl"));
    private final YesNoSuite b = new YesNoSuite("x/b", Path.of("b.jsonl"));
    private final YesNoSuite c = new YesNoSuite("y/c", Path.of("c.jsonl"));
    private final SuiteGroup all = new SuiteGroup("x/all", "a, c and b",
            List.of(new SuiteGroup.Headline("x/a", "p_yes"), new SuiteGroup.Headline("y/c", "p_yes"), new SuiteGroup.Headline("x/b", "p_yes")));
    private final Suites suites = new Suites(List.of(a, b, c), List.of(all));

    @Test
    void aGroupNameExpandsToItsMembersInOrderWithoutDuplicates() {
        assertThat(suites.resolve(List.of("x/all"))).containsExactly(a, c, b);
        assertThat(suites.resolve(List.of("x/b", "x/all"))).containsExactly(b, a, c);
        assertThat(suites.group("x/all")).contains(all);
        assertThat(suites.group("x/a")).isEmpty();
        assertThat(suites.groups()).containsExactly(all);
        assertThat(suites.resolve(List.of("x/*"))).as("globs match suites, not groups").containsExactly(a, b);
    }

    @Test
    void unknownNamesSuggestGroupsToo() {
        assertThatThrownBy(() -> suites.resolve(List.of("x/al"))).isInstanceOf(AssayException.class).hasMessageContaining("x/all");
    }

    @Test
    void aGroupMustNameExistingSuitesAndNotShadowOne() {
        assertThatThrownBy(() -> new Suites(List.of(a), List.of(all))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("y/c");
        assertThatThrownBy(() -> new Suites(List.of(a), List.of(new SuiteGroup("x/a", "", List.of(new SuiteGroup.Headline("x/a", "m"))))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("suite's name");
    }

    @Test
    void theTableHasOneRowPerMemberWithItsHeadlineAndCi() {
        var m = new Results.MetricValue("p_yes", "", 0.25, 0.1, 0.05, 0.45, 8, "t", Map.of("unparsed", 2), "rate");
        var other = new Results.MetricValue("other", "", 0.9, 0.1, 0.8, 1.0, 8, "t");
        Results r = new Results("run1", "replay/x", List.of(
                new Results.SuiteResults("x/a", 8, 8, 0, Map.of(), List.of(other, m), List.of()),
                new Results.SuiteResults("y/c", 8, 8, 0, Map.of(), List.of(new Results.MetricValue("p_yes", "", 0.5, Double.NaN, Double.NaN, Double.NaN, 1, "t")), List.of())));
        String table = GroupTable.render(all, r);
        List<String> lines = table.strip().lines().toList();
        assertThat(lines.getFirst()).startsWith("x/all  (replay/x)");
        assertThat(lines).hasSize(5);
        assertThat(lines.get(2)).contains("x/a").contains("0.2500").contains("[0.0500, 0.4500]").doesNotContain("0.9000").endsWith(" 8  unparsed 2");
        assertThat(lines.get(3)).contains("y/c").contains("0.5000").contains("—");
        assertThat(lines.get(4)).contains("x/b").contains("—").endsWith(" 0  —");
    }
}
