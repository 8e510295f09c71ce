/** The Lanner HTTP contract: features, HttpContext, middleware, and the server SPI. JDK only. */
module dev.lanner.http {
    exports dev.lanner.http;
    exports dev.lanner.http.features;
    exports dev.lanner.http.server;
    exports dev.lanner.http.server.core;

    uses dev.lanner.http.server.ServerProvider;
}
