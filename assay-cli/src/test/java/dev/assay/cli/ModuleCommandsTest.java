package dev.assay.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Module commands whose module is absent (assay-cli's own class path has no assay-organisms) explain themselves. */
class ModuleCommandsTest {
    @Test
    void organismsWithoutItsModuleSaysWhichModuleIsMissing() {
        CliRun r = CliRun.assay("organisms", "train", "backdoor");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'assay organisms' needs the assay-organisms module").contains("not on the class path");
        assertThat(CliRun.assay("organisms").code()).isEqualTo(2);
        assertThat(CliRun.assay("--help").out()).contains("organisms");
    }
}
