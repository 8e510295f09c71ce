package dev.lanner.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SniCertificateSelectorTest {

    @TempDir
    static Path dir;
    private static ServerCertificate exact;
    private static ServerCertificate wildcard;
    private static ServerCertificate any;
    private static ServerCertificate fallback;

    @BeforeAll
    static void createCertificates() {
        exact = TestCertificates.create(dir, "exact", "api.example.com");
        wildcard = TestCertificates.create(dir, "wildcard", "*.example.com");
        any = TestCertificates.create(dir, "any", "any");
        fallback = TestCertificates.create(dir, "fallback", "fallback");
    }

    private static SniCertificateSelector selector(boolean withAny) {
        Map<String, ServerCertificateSource> names = withAny
                ? Map.of("API.example.com", ServerCertificateSource.of(exact),
                        "*.Example.com", ServerCertificateSource.of(wildcard),
                        "*", ServerCertificateSource.of(any))
                : Map.of("API.example.com", ServerCertificateSource.of(exact),
                        "*.Example.com", ServerCertificateSource.of(wildcard));
        return new SniCertificateSelector(names, ServerCertificateSource.of(fallback));
    }

    @Test
    void prefersTheExactNameToTheWildcard() {
        assertThat(selector(false).select("api.example.com")).isSameAs(exact);
        assertThat(selector(false).select("Api.Example.COM")).isSameAs(exact);
    }

    @Test
    void matchesAWildcardForOneLabelOnly() {
        assertThat(selector(false).select("www.example.com")).isSameAs(wildcard);
        assertThat(selector(false).select("a.b.example.com")).isSameAs(fallback);
        assertThat(selector(false).select("example.com")).isSameAs(fallback);
    }

    @Test
    void usesTheFallbackForUnknownNamesAndNoName() {
        assertThat(selector(false).select("other.test")).isSameAs(fallback);
        assertThat(selector(false).select(null)).isSameAs(fallback);
    }

    @Test
    void aStarEntryComesBeforeTheFallback() {
        assertThat(selector(true).select("other.test")).isSameAs(any);
        assertThat(selector(true).select(null)).isSameAs(any);
        assertThat(selector(true).select("www.example.com")).isSameAs(wildcard);
    }

    @Test
    void selectsNothingWithoutFallback() {
        SniCertificateSelector selector = new SniCertificateSelector(Map.of("a.test", ServerCertificateSource.of(exact)), null);
        assertThat(selector.select("b.test")).isNull();
        assertThat(selector.select(null)).isNull();
    }

    @Test
    void rejectsAStarInsideAName() {
        assertThatThrownBy(() -> new SniCertificateSelector(Map.of("a*.example.com", ServerCertificateSource.of(exact)), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unsupported SNI host name 'a*.example.com': expected a host name, *.domain or *");
    }
}
