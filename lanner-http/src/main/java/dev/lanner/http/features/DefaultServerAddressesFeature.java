package dev.lanner.http.features;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The standard {@link ServerAddressesFeature}. */
public class DefaultServerAddressesFeature implements ServerAddressesFeature {

    private final List<String> addresses = new CopyOnWriteArrayList<>();
    private volatile boolean preferHostingUrls;

    @Override public List<String> addresses() { return addresses; }
    @Override public boolean preferHostingUrls() { return preferHostingUrls; }
    @Override public void setPreferHostingUrls(boolean prefer) { this.preferHostingUrls = prefer; }

    @Override
    public String toString() {
        return addresses.toString();
    }
}
