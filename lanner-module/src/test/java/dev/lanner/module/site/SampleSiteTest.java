package dev.lanner.module.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** samples/site/site.json, the example docs/module.md shows, loads as documented. */
class SampleSiteTest {

    @Test
    void theSampleSiteFileLoads() throws Exception {
        Path file = Path.of("../samples/site/site.json");
        Path hello = file.toAbsolutePath().normalize().getParent().resolveSibling("hello");

        Site site = SiteFile.load(file, Map.of());

        assertThat(site.file()).isEqualTo(file.toAbsolutePath().normalize());
        assertThat(site.environment()).isEqualTo("Development");
        assertThat(site.bindings()).containsExactly(
                new Binding("http://127.0.0.1:8080", null, null),
                new Binding("https://127.0.0.1:8443", "Http1AndHttp2", null));
        assertThat(site.applications()).containsExactly(new ApplicationEntry("hello", "/outproc", null, hello,
                HostingModel.OUT_OF_PROCESS, "java",
                List.of("-jar", "target/lanner-sample-hello.jar", "--Hosting:RequestLog=false"), Map.of(), false,
                hello.resolve("logs/stdout"), Duration.ofSeconds(120), Duration.ofSeconds(10), 10,
                Duration.ofMinutes(2), 1),
                new ApplicationEntry("hello-inproc", "/inproc", null, hello, HostingModel.IN_PROCESS, null,
                        List.of("--Hosting:RequestLog=false"), Map.of(), false, hello.resolve("logs/stdout"),
                        Duration.ofSeconds(120), Duration.ofSeconds(10), 10, Duration.ofMinutes(2), 1,
                        hello.resolve("target/lanner-sample-hello.jar"), null, false, List.of(), true));
        assertThat(site.route("127.0.0.1:8080", "/outproc/hello")).contains(site.applications().get(0));
        assertThat(site.route("127.0.0.1:8443", "/inproc/plaintext")).contains(site.applications().get(1));
        assertThat(site.route("127.0.0.1:8080", "/other")).isEmpty();
    }
}
