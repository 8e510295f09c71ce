package dev.lanner.hosting.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.features.DefaultHttpRequestFeature;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.HostContextContainer;
import dev.lanner.http.features.HttpRequestFeature;
import org.junit.jupiter.api.Test;

/**
 * An in-process application's hosting reuses the module's state of the same request (same features,
 * same container): the request's start time, which the module's request log reads, must survive it.
 * (It did not: a module with the request log on logged 25,833,351 ms for an in-process request.)
 */
class SharedRequestStateTest {

    @Test
    void aHostThatDoesNotLogLeavesTheStartOfTheRequestAlone() throws Exception {
        Features features = new Features();
        features.set(HttpRequestFeature.class, new DefaultHttpRequestFeature());
        features.set(HostContextContainer.class, new HostContextContainer() {
            private Object context;

            @Override
            public Object hostContext() {
                return context;
            }

            @Override
            public void setHostContext(Object value) {
                context = value;
            }
        });
        HostingApplication module = new HostingApplication(ctx -> { }, false, true);
        HostingApplication application = new HostingApplication(ctx -> { }, false, false);

        HostingApplication.RequestState front = module.createContext(features);
        long start = front.startNanos();
        HostingApplication.RequestState inner = application.createContext(features);

        assertThat(inner).isSameAs(front);
        assertThat(start).isNotZero();
        assertThat(inner.startNanos()).isEqualTo(start);
    }
}
