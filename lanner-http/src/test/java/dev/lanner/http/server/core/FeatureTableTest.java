package dev.lanner.http.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.http.features.DefaultHttpResponseFeature;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.ItemsFeature;
import dev.lanner.http.features.TlsConnectionFeature;
import org.junit.jupiter.api.Test;

class FeatureTableTest {

    private record Request(DefaultHttpResponseFeature response, RequestConnectionFeature connection) {
    }

    private static final FeatureTable<Request> TABLE = FeatureTable.<Request>builder()
            .add(HttpResponseFeature.class, Request::response)
            .add(dev.lanner.http.features.HttpConnectionFeature.class, Request::connection)
            .build();

    @Test
    void lookupAndEnumerationComeFromTheSameTable() {
        Request request = new Request(new DefaultHttpResponseFeature(), new RequestConnectionFeature("c1", null, 0, null, 0));
        RequestFeatureCollection<Request> features = new RequestFeatureCollection<>(request, TABLE, new Features());
        assertThat(features.get(HttpResponseFeature.class)).isSameAs(request.response());
        assertThat(features.asMap().keySet()).containsExactlyElementsOf(TABLE.types());
        assertThat(features.get(ItemsFeature.class)).isNull();
    }

    @Test
    void overridesWinUntilResetAndConnectionFeaturesComeLast() {
        Request request = new Request(new DefaultHttpResponseFeature(), null);
        Features connection = new Features();
        TlsConnectionFeature tls = new TlsConnectionFeature() {
            @Override public String protocol() { return "TLSv1.3"; }
            @Override public String cipherSuite() { return "TLS_AES_128_GCM_SHA256"; }
            @Override public java.security.cert.X509Certificate clientCertificate() { return null; }
            @Override public String applicationProtocol() { return "h2"; }
            @Override public String serverName() { return null; }
        };
        connection.set(TlsConnectionFeature.class, tls);
        RequestFeatureCollection<Request> features = new RequestFeatureCollection<>(request, TABLE, connection);
        DefaultHttpResponseFeature replacement = new DefaultHttpResponseFeature();
        int before = features.revision();
        features.set(HttpResponseFeature.class, replacement);
        assertThat(features.revision()).isGreaterThan(before);
        assertThat(features.get(HttpResponseFeature.class)).isSameAs(replacement);
        features.set(HttpResponseFeature.class, null);
        assertThat(features.get(HttpResponseFeature.class)).isNull();
        assertThat(features.asMap()).doesNotContainKey(HttpResponseFeature.class);
        features.reset();
        assertThat(features.get(HttpResponseFeature.class)).isSameAs(request.response());
        assertThat(features.get(TlsConnectionFeature.class)).isSameAs(tls);
        // A null built-in (the connection feature here) is absent, in lookups and in the enumeration alike.
        assertThat(features.asMap()).doesNotContainKey(dev.lanner.http.features.HttpConnectionFeature.class);
    }

    @Test
    void aTypeTwiceIsRefused() {
        assertThatThrownBy(() -> FeatureTable.<Request>builder()
                .add(HttpResponseFeature.class, Request::response)
                .add(HttpResponseFeature.class, Request::response))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConnectionFeatureForgetsARemoteAddressOnReset() throws Exception {
        var loopback = java.net.InetAddress.getLoopbackAddress();
        RequestConnectionFeature connection = new RequestConnectionFeature("c1", loopback, 5000, loopback, 80);
        connection.setRemoteAddress(java.net.InetAddress.getByName("203.0.113.9"));
        connection.setRemotePort(4711);
        assertThat(connection.remotePort()).isEqualTo(4711);
        connection.reset();
        assertThat(connection.remoteAddress()).isEqualTo(loopback);
        assertThat(connection.remotePort()).isEqualTo(5000);
        assertThat(connection.connectionId()).isEqualTo("c1");
    }
}
