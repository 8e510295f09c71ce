/**
 * The module (our IIS + ASP.NET Core Module): a front server that hosts applications mounted by path,
 * out of process (a child process it starts, watches and forwards to) or in process.
 */
module dev.lanner.module {
    requires dev.lanner.hosting;
    requires dev.lanner.server;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;

    exports dev.lanner.module;
    exports dev.lanner.module.site;
}
