package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Host, RFC 9112 §3.2; connection options and persistence, RFC 9110 §7.6.1, RFC 9112 §9.3. */
class HostAndConnectionTest {

    private static void validateHost(String value) {
        byte[] b = bytes(value);
        HostHeader.validate(b, 0, b.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com:8080", "EXAMPLE.com:80", "127.0.0.1",
        "127.0.0.1:1", "[::1]", "[::1]:443", "[2001:db8::192.0.2.1]:65535", "a-b_c~d.e", "xn--bcher-kva.example",
        "h%41st", "host:", ""})
    void acceptsValidHostValues_section3_2(String value) {
        assertThatCode(() -> validateHost(value)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"exa mple.com", "user@example.com", "example.com:abc", "example.com:65536",
        "example.com:123456", ":80", "[::1", "[]", "[v1.x]", "[::1%25eth0]", "[::1]x", "exa/mple",
        "example.com:80:80", "h%4", "h\u00e9st", "a#b", "a?b"})
    void rejectsInvalidHostValues_section3_2(String value) {
        assertThatThrownBy(() -> validateHost(value)).isInstanceOfSatisfying(BadRequestException.class, e -> {
            assertThat(e.reason()).isEqualTo(RequestRejectionReason.INVALID_HOST);
            assertThat(e.statusCode()).isEqualTo(400);
        });
    }

    @Test
    void http11RequiresExactlyOneHost_section3_2() {
        assertThatThrownBy(() -> HostHeader.checkCount(HttpVersion.HTTP_1_1, 0))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RequestRejectionReason.MISSING_HOST);
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        assertThatCode(() -> HostHeader.checkCount(HttpVersion.HTTP_1_1, 1)).doesNotThrowAnyException();
    }

    @Test
    void moreThanOneHostIsRejectedForAnyVersion_section3_2() {
        for (HttpVersion v : HttpVersion.values()) {
            assertThatThrownBy(() -> HostHeader.checkCount(v, 2))
                    .isInstanceOfSatisfying(BadRequestException.class, e -> {
                        assertThat(e.reason()).isEqualTo(RequestRejectionReason.MULTIPLE_HOST);
                        assertThat(e.statusCode()).isEqualTo(400);
                    });
        }
    }

    @Test
    void http10MayOmitHost_section3_2() {
        assertThatCode(() -> HostHeader.checkCount(HttpVersion.HTTP_1_0, 0)).doesNotThrowAnyException();
    }

    // ---- Connection -------------------------------------------------------------------------------

    private static int options(String value) {
        byte[] b = bytes(value);
        return ConnectionOptions.parse(b, 0, b.length);
    }

    @Test
    void parsesConnectionOptionsCaseInsensitively_rfc9110_section7_6_1() {
        assertThat(options("close")).isEqualTo(ConnectionOptions.CLOSE);
        assertThat(options("Keep-Alive")).isEqualTo(ConnectionOptions.KEEP_ALIVE);
        assertThat(options("UPGRADE")).isEqualTo(ConnectionOptions.UPGRADE);
        assertThat(options("Upgrade, HTTP2-Settings")).isEqualTo(ConnectionOptions.UPGRADE);
        assertThat(options(" keep-alive ,, Upgrade\t,close"))
                .isEqualTo(ConnectionOptions.CLOSE | ConnectionOptions.KEEP_ALIVE | ConnectionOptions.UPGRADE);
    }

    @Test
    void ignoresOtherOptionsAndLookalikes() {
        assertThat(options("")).isZero();
        assertThat(options("closed")).isZero();
        assertThat(options("x-close, keep-alive2, te")).isZero();
        assertThat(options("clo se")).isZero();
    }

    @Test
    void persistenceFollowsSection9_3() {
        assertThat(ConnectionOptions.isPersistent(HttpVersion.HTTP_1_1, 0)).isTrue();
        assertThat(ConnectionOptions.isPersistent(HttpVersion.HTTP_1_1, ConnectionOptions.CLOSE)).isFalse();
        assertThat(ConnectionOptions.isPersistent(HttpVersion.HTTP_1_0, 0)).isFalse();
        assertThat(ConnectionOptions.isPersistent(HttpVersion.HTTP_1_0, ConnectionOptions.KEEP_ALIVE)).isTrue();
        assertThat(ConnectionOptions.isPersistent(HttpVersion.HTTP_1_0,
                ConnectionOptions.KEEP_ALIVE | ConnectionOptions.CLOSE)).isFalse();
    }
}
