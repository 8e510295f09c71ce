package dev.lanner.hosting;

import dev.lanner.hosting.integration.InProcessHost;
import dev.lanner.http.features.DefaultServerAddressesFeature;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.http.server.Server;
import java.time.Duration;

/**
 * The server of an application the module hosts in process: it binds nothing; starting it hands the
 * application to the module, which calls it for the requests routed to the application's mount.
 */
final class InProcessServer implements Server {

    private final InProcessHost host;
    private final Features features = new Features();
    private Runnable stopAction = () -> { };
    private boolean started;

    InProcessServer(InProcessHost host) {
        this.host = host;
        features.set(ServerAddressesFeature.class, new DefaultServerAddressesFeature());
    }

    InProcessHost host() {
        return host;
    }

    /** How the module asks the application to stop (its lifetime's {@code stopApplication}). */
    void onStopRequested(Runnable action) {
        this.stopAction = action;
    }

    @Override
    public FeatureCollection features() {
        return features;
    }

    @Override
    public synchronized <C> void start(HttpApplication<C> application) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        ServerAddressesFeature addresses = features.get(ServerAddressesFeature.class);
        addresses.addresses().clear();
        addresses.addresses().addAll(host.urls());
        started = true;
        host.started(application, stopAction);
    }

    @Override
    public synchronized void stop(Duration gracePeriod) {
        if (!started) {
            return;
        }
        started = false;
        host.stopping(gracePeriod);
    }

    @Override
    public String toString() {
        return "InProcessServer[" + host.applicationName() + "]";
    }
}
