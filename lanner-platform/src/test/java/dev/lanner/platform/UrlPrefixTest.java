package dev.lanner.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UrlPrefixTest {

    @Test
    void parsesStrongWildcardWithPath() {
        UrlPrefix p = UrlPrefix.parse("http://+:8080/orders/");
        assertThat(p).isEqualTo(new UrlPrefix("http", "+", 8080, "/orders/"));
        assertThat(p.hostKind()).isEqualTo(UrlPrefix.HostKind.STRONG_WILDCARD);
        assertThat(p.pathBase()).isEqualTo("/orders");
    }

    @Test
    void addsTheTrailingSlashAndDefaultPorts() {
        assertThat(UrlPrefix.parse("http://localhost")).isEqualTo(new UrlPrefix("http", "localhost", 80, "/"));
        assertThat(UrlPrefix.parse("https://Example.COM/api")).isEqualTo(new UrlPrefix("https", "example.com", 443, "/api/"));
        assertThat(UrlPrefix.parse("http://*:0").hostKind()).isEqualTo(UrlPrefix.HostKind.WEAK_WILDCARD);
    }

    @Test
    void keepsIpv6LiteralBrackets() {
        UrlPrefix p = UrlPrefix.parse("http://[::1]:5000/");
        assertThat(p.host()).isEqualTo("[::1]");
        assertThat(p.port()).isEqualTo(5000);
        assertThat(p.hostKind()).isEqualTo(UrlPrefix.HostKind.EXPLICIT);
    }

    @Test
    void rejectsMalformedPrefixesNamingTheProblem() {
        assertThatThrownBy(() -> UrlPrefix.parse("ftp://+:21/")).hasMessage("Invalid URL prefix 'ftp://+:21/': the scheme must be http or https");
        assertThatThrownBy(() -> UrlPrefix.parse("localhost:80")).hasMessage("Invalid URL prefix 'localhost:80': it has no scheme (expected http:// or https://)");
        assertThatThrownBy(() -> UrlPrefix.parse("http://+:99999/")).hasMessage("Invalid URL prefix 'http://+:99999/': the port is out of range");
        assertThatThrownBy(() -> UrlPrefix.parse("http://+:80x/")).hasMessage("Invalid URL prefix 'http://+:80x/': the port is not a number");
        assertThatThrownBy(() -> UrlPrefix.parse("http://:80/")).hasMessage("Invalid URL prefix 'http://:80/': it has no host (use + or * for every host)");
        assertThatThrownBy(() -> UrlPrefix.parse("http://+:80/a?b")).hasMessage("Invalid URL prefix 'http://+:80/a?b': a prefix has no query or fragment");
        assertThatThrownBy(() -> UrlPrefix.parse("http://[::1:80/")).hasMessage("Invalid URL prefix 'http://[::1:80/': the IPv6 literal has no closing ']'");
    }

    @Test
    void pathMatchingIsBySegmentPrefixIgnoringCase() {
        UrlPrefix p = UrlPrefix.parse("http://+:80/orders/");
        assertThat(p.matchesPath("/orders/7")).isTrue();
        assertThat(p.matchesPath("/ORDERS/7")).isTrue();
        assertThat(p.matchesPath("/orders")).isTrue();
        assertThat(p.matchesPath("/orders/")).isTrue();
        assertThat(p.matchesPath("/ordersx")).isFalse();
        assertThat(p.matchesPath("/order")).isFalse();
        assertThat(UrlPrefix.parse("http://*:80/").matchesPath("/anything")).isTrue();
    }

    @Test
    void explicitHostsMatchOnlyTheirName() {
        UrlPrefix p = UrlPrefix.parse("http://localhost:80/");
        assertThat(p.matchesHost("localhost")).isTrue();
        assertThat(p.matchesHost("127.0.0.1")).isFalse();
        assertThat(UrlPrefix.parse("http://+:80/").matchesHost("anything")).isTrue();
    }

    @Test
    void samePrefixIgnoresPathCase() {
        assertThat(UrlPrefix.parse("http://+:80/A/").sameAs(UrlPrefix.parse("http://+:80/a/"))).isTrue();
        assertThat(UrlPrefix.parse("http://+:80/a/").sameAs(UrlPrefix.parse("http://*:80/a/"))).isFalse();
    }
}
