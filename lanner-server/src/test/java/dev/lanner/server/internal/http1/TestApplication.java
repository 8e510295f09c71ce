package dev.lanner.server.internal.http1;

import dev.lanner.http.HttpContext;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.server.HttpApplication;

/** An application that runs one handler per request on an {@link HttpContext}; blocking unless made non-blocking. */
final class TestApplication implements HttpApplication<HttpContext> {

    /** What the application does with a request. */
    interface Handler {
        void handle(HttpContext context) throws Exception;
    }

    private final Handler handler;
    private final boolean nonBlocking;

    private TestApplication(Handler handler, boolean nonBlocking) {
        this.handler = handler;
        this.nonBlocking = nonBlocking;
    }

    static TestApplication blocking(Handler handler) {
        return new TestApplication(handler, false);
    }

    static TestApplication nonBlocking(Handler handler) {
        return new TestApplication(handler, true);
    }

    @Override
    public HttpContext createContext(FeatureCollection features) {
        return new HttpContext(features);
    }

    @Override
    public void processRequest(HttpContext context) throws Exception {
        handler.handle(context);
    }

    @Override
    public void disposeContext(HttpContext context, Throwable error) {
    }

    @Override
    public boolean isNonBlocking() {
        return nonBlocking;
    }
}
