package dev.lanner.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.http.features.DefaultHttpRequestFeature;
import dev.lanner.http.features.DefaultHttpResponseFeature;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpResponseFeature;
import org.junit.jupiter.api.Test;

class FeatureCachingTest {

    private static DefaultHttpRequestFeature request(String method, String path) {
        DefaultHttpRequestFeature f = new DefaultHttpRequestFeature();
        f.setMethod(method);
        f.setPath(path);
        return f;
    }

    @Test
    void replacingAFeatureInvalidatesTheCachedLookup() {
        Features features = new Features();
        features.set(HttpRequestFeature.class, request("GET", "/first"));
        HttpContext context = new HttpContext(features);
        assertThat(context.request().path()).isEqualTo("/first");

        features.set(HttpRequestFeature.class, request("POST", "/second"));

        assertThat(context.request().path()).isEqualTo("/second");
        assertThat(context.request().method()).isEqualTo("POST");
    }

    @Test
    void cachedFeatureIsReusedWhileTheRevisionIsUnchanged() {
        int[] lookups = {0};
        Features inner = new Features();
        inner.set(HttpRequestFeature.class, request("GET", "/"));
        FeatureCollection features = new FeatureCollection() {
            @Override
            public <T> T get(Class<T> type) {
                lookups[0]++;
                return inner.get(type);
            }

            @Override
            public <T> void set(Class<T> type, T feature) {
                inner.set(type, feature);
            }

            @Override
            public int revision() {
                return inner.revision();
            }

            @Override
            public java.util.Map<Class<?>, Object> asMap() {
                return inner.asMap();
            }
        };
        HttpContext context = new HttpContext(features);
        for (int i = 0; i < 10; i++) {
            context.request().method();
        }
        assertThat(lookups[0]).isEqualTo(1);
    }

    @Test
    void replacingAFeatureInTheDefaultsInvalidatesToo() {
        Features defaults = new Features();
        defaults.set(HttpResponseFeature.class, new DefaultHttpResponseFeature());
        Features features = new Features(defaults);
        features.set(HttpRequestFeature.class, request("GET", "/"));
        HttpContext context = new HttpContext(features);
        assertThat(context.response().statusCode()).isEqualTo(200);

        DefaultHttpResponseFeature replacement = new DefaultHttpResponseFeature();
        replacement.setStatusCode(418);
        defaults.set(HttpResponseFeature.class, replacement);

        assertThat(context.response().statusCode()).isEqualTo(418);
    }

    @Test
    void removingAFeatureWithNullMakesItAbsent() {
        Features features = new Features();
        features.set(HttpRequestFeature.class, request("GET", "/"));
        int before = features.revision();
        features.set(HttpRequestFeature.class, null);
        assertThat(features.get(HttpRequestFeature.class)).isNull();
        assertThat(features.revision()).isGreaterThan(before);
        HttpContext context = new HttpContext(features);
        assertThatThrownBy(() -> context.request().path())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the server did not supply HttpRequestFeature");
    }

    @Test
    void rejectsAFeatureOfTheWrongType() {
        Features features = new Features();
        assertThatThrownBy(() -> features.set((Class) HttpRequestFeature.class, "not a feature"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void itemsAndUserWorkWithoutServerSupport() {
        Features features = new Features();
        HttpContext context = new HttpContext(features);
        context.items().put("k", "v");
        context.setUser(() -> "alice");
        assertThat(context.items()).containsEntry("k", "v");
        assertThat(context.user().getName()).isEqualTo("alice");
        assertThat(context.requestAborted().isAborted()).isFalse();
    }
}
