package dev.lanner.hosting.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleIntegrationTest {

    @Test
    void detectsTheModuleFromPortTokenAndPath() {
        ModuleIntegration module = ModuleIntegration.detect(Map.of(
                "LANNER_PORT", "41234", "LANNER_TOKEN", "s3cr3t!", "LANNER_APPL_PATH", "/outproc")).orElseThrow();

        assertThat(module.port()).isEqualTo(41234);
        assertThat(module.token()).isEqualTo("s3cr3t!");
        assertThat(module.applicationPath()).isEqualTo("/outproc");
        assertThat(module.url()).isEqualTo("http://127.0.0.1:41234");
    }

    @Test
    void isNotModuleHostedWithoutPortOrToken() {
        assertThat(ModuleIntegration.detect(Map.of())).isEmpty();
        assertThat(ModuleIntegration.detect(Map.of("LANNER_PORT", "41234"))).isEmpty();
        assertThat(ModuleIntegration.detect(Map.of("LANNER_TOKEN", "t"))).isEmpty();
        assertThat(ModuleIntegration.detect(Map.of("LANNER_PORT", " ", "LANNER_TOKEN", "t"))).isEmpty();
        assertThat(ModuleIntegration.detect(Map.of("LANNER_PORT", "41234", "LANNER_TOKEN", ""))).isEmpty();
    }

    @Test
    void rejectsAnInvalidPortNamingTheVariable() {
        for (String port : new String[] {"0", "65536", "http", "-1", "99999999999"}) {
            assertThatThrownBy(() -> ModuleIntegration.detect(Map.of("LANNER_PORT", port, "LANNER_TOKEN", "t")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("The environment variable LANNER_PORT has the invalid value '" + port
                            + "'; expected a port number 1..65535 (set by lanner-module)");
        }
    }

    @Test
    void normalizesTheApplicationPath() {
        assertThat(path(null)).isEqualTo("");
        assertThat(path("/")).isEqualTo("");
        assertThat(path("/outproc/")).isEqualTo("/outproc");
        assertThat(path("outproc")).isEqualTo("/outproc");
        assertThat(path("/a/b")).isEqualTo("/a/b");
    }

    @Test
    void toStringDoesNotRevealTheToken() {
        assertThat(new ModuleIntegration(1, "s3cr3t", "/x").toString()).doesNotContain("s3cr3t");
    }

    private static String path(String applicationPath) {
        return new ModuleIntegration(1, "t", applicationPath).applicationPath();
    }
}
