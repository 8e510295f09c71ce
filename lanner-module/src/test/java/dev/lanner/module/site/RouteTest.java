package dev.lanner.module.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTest {

    private static final Site SITE = new Site(Path.of("/site/site.json"), "Production",
            List.of(new Binding("http://127.0.0.1:8080", null, null)),
            List.of(entry("root", "/", null),
                    entry("outproc", "/outproc", null),
                    entry("outproc-api", "/outproc/api", null),
                    entry("example", "/outproc", "example.com"),
                    entry("example-root", "/", "example.com"),
                    entry("any-sub", "/", "*.example.com"),
                    entry("api-sub", "/", "*.api.example.com")));

    static ApplicationEntry entry(String name, String path, String host) {
        return new ApplicationEntry(name, path, host, Path.of("/site"), HostingModel.OUT_OF_PROCESS, "java",
                List.of(), Map.of(), false, Path.of("/site/logs/stdout"), Duration.ofSeconds(120),
                Duration.ofSeconds(10), 10, Duration.ofMinutes(2), 1);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "other.org,          /,                root",
            "other.org,          /x,               root",
            "null,               /outproc,         outproc",
            "other.org,          /outproc,         outproc",
            "other.org,          /outproc/,        outproc",
            "other.org,          /outproc/x,       outproc",
            "other.org,          /OUTPROC/x,       outproc",
            "other.org,          /outprocx,        root",
            "other.org,          /outproc/api,     outproc-api",
            "other.org,          /outproc/API/v1,  outproc-api",
            "other.org,          /outproc/apix,    outproc",
            "example.com,        /outproc/x,       example",
            "EXAMPLE.com:8443,   /outproc,         example",
            "example.com.,       /outproc,         example",
            "example.com,        /outproc/api,     example",
            "example.com,        /other,           example-root",
            "a.example.com,      /outproc,         any-sub",
            "a.b.example.com,    /,                any-sub",
            "v1.api.example.com, /outproc,         api-sub",
            "api.example.com,    /outproc,         any-sub",
            "notexample.com,     /outproc,         outproc",
            "'[::1]:8080',       /outproc,         outproc",
    })
    void routesToTheMostSpecificMatch(String host, String path, String expected) {
        assertThat(SITE.route(host, path)).map(ApplicationEntry::name).contains(expected);
    }

    @Test
    void aHostSpecificEntryWinsOverALongerHostlessPath() {
        assertThat(SITE.route("example.com", "/outproc/api/x")).map(ApplicationEntry::name).contains("example");
    }

    @Test
    void noMatchWithoutARootApplication() {
        Site site = new Site(Path.of("/s.json"), "Production", List.of(), List.of(entry("a", "/a", "example.com")));
        assertThat(site.route("example.com", "/b")).isEmpty();
        assertThat(site.route("other.com", "/a")).isEmpty();
        assertThat(site.route(null, "/a")).isEmpty();
    }

    @Test
    void matchesOnSegmentBoundariesIgnoringCase() {
        ApplicationEntry outproc = entry("outproc", "/outproc", null);
        assertThat(outproc.matches("h", "/outproc")).isTrue();
        assertThat(outproc.matches("h", "/outproc/")).isTrue();
        assertThat(outproc.matches("h", "/OutProc/x")).isTrue();
        assertThat(outproc.matches("h", "/outprocx")).isFalse();
        assertThat(outproc.matches("h", "/out")).isFalse();
        assertThat(outproc.matches("h", "/")).isFalse();
        assertThat(entry("root", "/", null).matches(null, "")).isTrue();
    }

    @Test
    void wildcardHostMatchesSubdomainsOnly() {
        ApplicationEntry wildcard = entry("w", "/", "*.example.com");
        assertThat(wildcard.matches("a.example.com", "/")).isTrue();
        assertThat(wildcard.matches("A.Example.COM:80", "/")).isTrue();
        assertThat(wildcard.matches("example.com", "/")).isFalse();
        assertThat(wildcard.matches("badexample.com", "/")).isFalse();
        assertThat(wildcard.matches(null, "/")).isFalse();
    }
}
