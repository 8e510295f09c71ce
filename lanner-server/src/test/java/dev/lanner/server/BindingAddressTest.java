package dev.lanner.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link BindingAddress}: the listen URL forms Kestrel accepts, and the errors for the others. */
class BindingAddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // url                         | scheme | host      | port | kind      | pathBase
        "http://localhost:5000         | http   | localhost | 5000 | LOCALHOST | ''",
        "HTTP://LocalHost:5000         | http   | LocalHost | 5000 | LOCALHOST | ''",
        "http://*:0                    | http   | *         | 0    | ANY       | ''",
        "http://+:80                   | http   | +         | 80   | ANY       | ''",
        "http://0.0.0.0:8080           | http   | 0.0.0.0   | 8080 | ANY       | ''",
        "http://[::]:8080              | http   | ::        | 8080 | ANY       | ''",
        "http://example.com:8080       | http   | example.com | 8080 | ANY     | ''",
        "http://127.0.0.1:8080         | http   | 127.0.0.1 | 8080 | IP        | ''",
        "http://[::1]:8080             | http   | ::1       | 8080 | IP        | ''",
        "http://[::1]                  | http   | ::1       | 80   | IP        | ''",
        "http://example.com            | http   | example.com | 80 | ANY       | ''",
        "https://example.com           | https  | example.com | 443 | ANY      | ''",
        "http://localhost:5000/base/   | http   | localhost | 5000 | LOCALHOST | /base",
        "http://localhost:5000/a/b     | http   | localhost | 5000 | LOCALHOST | /a/b",
        "' http://127.0.0.1:1 '        | http   | 127.0.0.1 | 1    | IP        | ''",
    })
    void parsesListenUrls(String url, String scheme, String host, int port, BindingAddress.Kind kind, String pathBase) {
        BindingAddress a = BindingAddress.parse(url);
        assertThat(a.scheme()).isEqualTo(scheme);
        assertThat(a.host()).isEqualTo(host);
        assertThat(a.port()).isEqualTo(port);
        assertThat(a.kind()).isEqualTo(kind);
        assertThat(a.pathBase()).isEqualTo(pathBase);
        assertThat(a.unixPath()).isNull();
        assertThat(a.isHttps()).isEqualTo(scheme.equals("https"));
    }

    @Test
    void parsesUnixSocketUrls() throws Exception {
        BindingAddress a = BindingAddress.parse("http://unix:/run/app.sock");
        assertThat(a.kind()).isEqualTo(BindingAddress.Kind.UNIX);
        assertThat(a.unixPath()).isEqualTo(Path.of("/run/app.sock"));
        assertThat(a.socketAddresses()).containsExactly(UnixDomainSocketAddress.of("/run/app.sock"));
        assertThat(a.urlFor(UnixDomainSocketAddress.of("/run/app.sock"))).isEqualTo("http://unix:/run/app.sock");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "localhost:5000          | Invalid URL 'localhost:5000': expected scheme://host:port",
        "ftp://localhost:21      | Invalid URL 'ftp://localhost:21': scheme must be http or https",
        "http://:80              | Invalid URL 'http://:80': missing host",
        "http://host:abc         | Invalid URL 'http://host:abc': port 'abc' is not a number",
        "http://host:70000       | Invalid URL 'http://host:70000': port 70000 out of range",
        "http://host:-1          | Invalid URL 'http://host:-1': port -1 out of range",
        "http://[::1:80          | Invalid URL 'http://[::1:80': unclosed IPv6 literal",
        "http://[::1]x           | Invalid URL 'http://[::1]x'",
        "http://unix:            | Invalid URL 'http://unix:': unix: needs a socket path",
    })
    void rejectsMalformedUrlsNamingThem(String url, String message) {
        assertThatThrownBy(() -> BindingAddress.parse(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void localhostBindsBothLoopbacksInOrder() throws Exception {
        assertThat(BindingAddress.parse("http://localhost:5000").socketAddresses()).containsExactly(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5000),
                new InetSocketAddress(InetAddress.getByName("::1"), 5000));
    }

    @Test
    void reportedUrlsUseTheBoundPortAndCompactIpv6() throws Exception {
        assertThat(BindingAddress.parse("http://127.0.0.1:0/api")
                .urlFor(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5123))).isEqualTo("http://127.0.0.1:5123/api");
        assertThat(BindingAddress.parse("http://[::1]:0")
                .urlFor(new InetSocketAddress(InetAddress.getByName("::1"), 5123))).isEqualTo("http://[::1]:5123");
        assertThat(BindingAddress.parse("http://[fd00:0:0:0:0:0:0:2]:0")
                .urlFor(new InetSocketAddress(InetAddress.getByName("fd00::2"), 1))).isEqualTo("http://[fd00::2]:1");
        assertThat(BindingAddress.parse("http://[2001:db8:0:1:0:0:0:1]:0")
                .urlFor(new InetSocketAddress(InetAddress.getByName("2001:db8:0:1::1"), 1)))
                .isEqualTo("http://[2001:db8:0:1::1]:1");
        assertThat(BindingAddress.parse("http://*:0")
                .urlFor(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 7))).isEqualTo("http://0.0.0.0:7");
    }
}
