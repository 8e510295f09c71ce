/** Lanner hosting: WebApplication, layered configuration, lifetime, and the in-memory TestServer. */
module dev.lanner.hosting {
    requires transitive dev.lanner.http;
    requires org.slf4j;
    requires com.fasterxml.jackson.core;

    exports dev.lanner.hosting;
    exports dev.lanner.hosting.config;
    exports dev.lanner.hosting.diagnostics;
    exports dev.lanner.hosting.forwarding;
    exports dev.lanner.hosting.integration;
    exports dev.lanner.hosting.logging;
    exports dev.lanner.hosting.testing;


    uses dev.lanner.http.server.ServerProvider;
    uses dev.lanner.hosting.logging.LoggingConfigurator;
    uses dev.lanner.hosting.diagnostics.ApplicationInstrumentation;
}
