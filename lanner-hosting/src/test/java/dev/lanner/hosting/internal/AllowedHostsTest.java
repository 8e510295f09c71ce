package dev.lanner.hosting.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.hosting.config.ConfigurationException;
import org.junit.jupiter.api.Test;

class AllowedHostsTest {

    @Test
    void starAndUnsetAllowEveryHost() {
        assertThat(AllowedHosts.parse(null).matches("anything.test:1")).isTrue();
        assertThat(AllowedHosts.parse("*").allowsAny()).isTrue();
        assertThat(AllowedHosts.parse("example.com;*").allowsAny()).isTrue();
    }

    @Test
    void exactHostMatchesIgnoringCaseAndPort() {
        AllowedHosts hosts = AllowedHosts.parse("Example.com");
        assertThat(hosts.matches("example.com")).isTrue();
        assertThat(hosts.matches("EXAMPLE.COM")).isTrue();
        assertThat(hosts.matches("example.com:8080")).isTrue();
        assertThat(hosts.matches("other.com")).isFalse();
        assertThat(hosts.matches("www.example.com")).isFalse();
        assertThat(hosts.matches("example.com.evil.test")).isFalse();
        assertThat(hosts.matches("xexample.com")).isFalse();
    }

    @Test
    void wildcardMatchesSubDomainsButNotTheDomainItself() {
        AllowedHosts hosts = AllowedHosts.parse("*.example.com");
        assertThat(hosts.matches("a.example.com")).isTrue();
        assertThat(hosts.matches("a.b.Example.COM:443")).isTrue();
        assertThat(hosts.matches("example.com")).isFalse();
        assertThat(hosts.matches(".example.com")).isFalse(); // as ASP.NET Core: a label must precede the dot
        assertThat(hosts.matches("badexample.com")).isFalse();
    }

    @Test
    void listSeparatedBySemicolonsWithBlanksIgnored() {
        AllowedHosts hosts = AllowedHosts.parse(" example.com ; *.example.com;;127.0.0.1 ");
        assertThat(hosts.matches("example.com")).isTrue();
        assertThat(hosts.matches("api.example.com")).isTrue();
        assertThat(hosts.matches("127.0.0.1:5000")).isTrue();
        assertThat(hosts.matches("127.0.0.2")).isFalse();
    }

    @Test
    void ipv6LiteralsInBracketsWithOrWithoutPort() {
        AllowedHosts hosts = AllowedHosts.parse("[::1];[2001:DB8::1]");
        assertThat(hosts.matches("[::1]")).isTrue();
        assertThat(hosts.matches("[::1]:8080")).isTrue();
        assertThat(hosts.matches("[2001:db8::1]:443")).isTrue();
        assertThat(hosts.matches("[::2]")).isFalse();
        assertThat(hosts.matches("[::1")).isFalse();
        assertThat(hosts.matches("[::1]x")).isFalse();
    }

    @Test
    void malformedHostHeadersNeverMatch() {
        AllowedHosts hosts = AllowedHosts.parse("example.com");
        assertThat(hosts.matches(":80")).isFalse();
        assertThat(hosts.matches("")).isFalse();
    }

    @Test
    void malformedEntriesFailNamingTheKey() {
        for (String bad : new String[] {"http://example.com", "example.com:8080", "exa mple.com", "ex*ample.com",
                "*.", "[::1", "[::1]:80", "[zz]", "example.com/path", ";", " "}) {
            assertThatThrownBy(() -> AllowedHosts.parse(bad))
                    .as(bad)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("'AllowedHosts'")
                    .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo("AllowedHosts"))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThatThrownBy(() -> AllowedHosts.parse("http://example.com")).hasMessageContaining("is not a host name");
        assertThatThrownBy(() -> AllowedHosts.parse("example.com:8080")).hasMessageContaining("must not include a port");
    }
}
