package dev.lanner.hosting.forwarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpNetworkTest {

    @Test
    void ipv4NetworkContainsItsAddressesOnly() {
        IpNetwork network = IpNetwork.parse("10.1.0.0/16");
        assertThat(network.contains(IpNetwork.parseAddress("10.1.255.3"))).isTrue();
        assertThat(network.contains(IpNetwork.parseAddress("10.2.0.1"))).isFalse();
        assertThat(network.contains(IpNetwork.parseAddress("::ffff:10.1.0.9"))).isTrue();
        assertThat(network.contains(IpNetwork.parseAddress("::1"))).isFalse();
    }

    @Test
    void ipv6NetworkContainsItsAddressesOnly() {
        IpNetwork network = IpNetwork.parse("2001:db8::/32");
        assertThat(network.contains(IpNetwork.parseAddress("2001:db8:cafe::17"))).isTrue();
        assertThat(network.contains(IpNetwork.parseAddress("2001:db9::1"))).isFalse();
        assertThat(network.contains(IpNetwork.parseAddress("32.1.13.184"))).isFalse();
    }

    @Test
    void clearsHostBitsAndHandlesOddPrefixLengths() {
        IpNetwork network = IpNetwork.parse("192.168.1.77/23");
        assertThat(network).hasToString("192.168.0.0/23");
        assertThat(network.contains(IpNetwork.parseAddress("192.168.1.254"))).isTrue();
        assertThat(network.contains(IpNetwork.parseAddress("192.168.2.1"))).isFalse();
        assertThat(IpNetwork.parse("0.0.0.0/0").contains(IpNetwork.parseAddress("8.8.8.8"))).isTrue();
        assertThat(IpNetwork.parse("127.0.0.1").contains(IpNetwork.parseAddress("127.0.0.2"))).isFalse();
    }

    @Test
    void rejectsNonLiteralsAndBadPrefixLengths() {
        assertThatThrownBy(() -> IpNetwork.parse("localhost/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpNetwork.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpNetwork.parse("::/129")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpNetwork.parse("10.0.0.0/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseAddressAcceptsLiteralsOnlyAndNeverResolves() {
        assertThat(IpNetwork.parseAddress("192.0.2.1")).isNotNull();
        assertThat(IpNetwork.parseAddress("2001:db8::1")).isNotNull();
        assertThat(IpNetwork.parseAddress("example.com")).isNull();
        assertThat(IpNetwork.parseAddress("unknown")).isNull();
        assertThat(IpNetwork.parseAddress("_hidden")).isNull();
        assertThat(IpNetwork.parseAddress("1.2.3")).isNull();
        assertThat(IpNetwork.parseAddress("300.1.1.1")).isNull();
        assertThat(IpNetwork.parseAddress("[::1]")).isNull();
    }

    @Test
    void dottedQuadsAreParsedExactlyAndAnythingElseIsNotAnIpv4Literal() throws Exception {
        assertThat(IpNetwork.parseAddress("203.0.113.255")).isEqualTo(java.net.InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, (byte) 255}));
        assertThat(IpNetwork.parseAddress("0.0.0.0").getHostAddress()).isEqualTo("0.0.0.0");
        for (String bad : new String[] {"1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.1000", "1..2.3", ".1.2.3", "1.2.3.",
                "1.2.3.4 ", "1.2.3.a", "", "1234.1.1.1"}) {
            assertThat(IpNetwork.parseAddress(bad)).as("'%s'", bad).isNull();
        }
    }

    @Test
    void prefixLengthsThatAreNotWholeBytesCompareTheLeadingBitsOnly() {
        IpNetwork network = IpNetwork.parse("10.0.0.0/12");
        assertThat(network.contains(IpNetwork.parseAddress("10.15.255.255"))).isTrue();
        assertThat(network.contains(IpNetwork.parseAddress("10.16.0.0"))).isFalse();
        IpNetwork v6 = IpNetwork.parse("2001:db8::/33");
        assertThat(v6.contains(IpNetwork.parseAddress("2001:db8:7fff::1"))).isTrue();
        assertThat(v6.contains(IpNetwork.parseAddress("2001:db8:8000::1"))).isFalse();
    }
}
