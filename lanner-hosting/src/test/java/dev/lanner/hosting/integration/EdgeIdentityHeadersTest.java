package dev.lanner.hosting.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class EdgeIdentityHeadersTest {

    @Test
    void unreservedCharactersStayAsTheyAre() {
        assertThat(EdgeIdentityHeaders.encodeUser("Alice-1.b_c~d")).isEqualTo("Alice-1.b_c~d");
    }

    @Test
    void everyOtherByteIsPercentEncodedInUpperCaseHex() {
        assertThat(EdgeIdentityHeaders.encodeUser("a b/c%d:e@f+g")).isEqualTo("a%20b%2Fc%25d%3Ae%40f%2Bg");
        assertThat(EdgeIdentityHeaders.encodeUser("Zoë")).isEqualTo("Zo%C3%AB");
        assertThat(EdgeIdentityHeaders.encodeUser("用户")).isEqualTo("%E7%94%A8%E6%88%B7");
        assertThat(EdgeIdentityHeaders.encodeUser("\uD83D\uDE00")).isEqualTo("%F0%9F%98%80");
    }

    @Test
    void decodesWhatItEncodesAndLowerCaseHex() {
        for (String name : new String[] {"alice", "DOMAIN\\bob", "Zoë Ångström", "用户", "\uD83D\uDE00", "%41", "a\"b,c;d"}) {
            assertThat(EdgeIdentityHeaders.decodeUser(EdgeIdentityHeaders.encodeUser(name))).isEqualTo(name);
        }
        assertThat(EdgeIdentityHeaders.decodeUser("zo%c3%ab")).isEqualTo("zoë");
    }

    @Test
    void rejectsMalformedUserValues() {
        assertThatThrownBy(() -> EdgeIdentityHeaders.decodeUser("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty user name");
        assertThatThrownBy(() -> EdgeIdentityHeaders.decodeUser("ab%4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad percent-escape at index 2, expected %XX");
        assertThatThrownBy(() -> EdgeIdentityHeaders.decodeUser("%g1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad percent-escape at index 0, expected %XX");
        assertThatThrownBy(() -> EdgeIdentityHeaders.decodeUser("a b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("character at index 1 must be percent-encoded");
        assertThatThrownBy(() -> EdgeIdentityHeaders.decodeUser("zoë")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("character at index 2 must be percent-encoded");
        assertThatThrownBy(() -> EdgeIdentityHeaders.decodeUser("%C3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the percent-decoded bytes are not UTF-8");
        assertThatThrownBy(() -> EdgeIdentityHeaders.encodeUser("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void certificateRoundTripsAsOneLineOfStandardBase64() throws Exception {
        X509Certificate alice = ModuleIntegrationMiddlewareTest.aliceCertificate();

        String value = EdgeIdentityHeaders.encodeCertificate(alice);

        assertThat(value).matches("[A-Za-z0-9+/]+={0,2}").startsWith("MII");
        assertThat(EdgeIdentityHeaders.decodeCertificate(value)).isEqualTo(alice);
        assertThat(EdgeIdentityHeaders.decodeCertificate(value).getSubjectX500Principal().getName()).isEqualTo("O=Lanner Test,CN=alice");
    }

    @Test
    void rejectsWhatIsNotOneBase64DerCertificate() throws Exception {
        String der = EdgeIdentityHeaders.encodeCertificate(ModuleIntegrationMiddlewareTest.aliceCertificate());
        for (String value : new String[] {"", "%%%", "AAAA", der.substring(0, 200), der.substring(0, 64) + "\r\n" + der.substring(64),
                java.util.Base64.getEncoder().encodeToString(("-----BEGIN CERTIFICATE-----\n" + der + "\n-----END CERTIFICATE-----\n").getBytes())}) {
            assertThatThrownBy(() -> EdgeIdentityHeaders.decodeCertificate(value)).as(value)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
