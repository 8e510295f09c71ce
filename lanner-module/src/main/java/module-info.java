/**
 * The module (our IIS + ASP.NET Core Module): a front server that hosts applications mounted by path,
 * out of process (a child process it starts, watches and forwards to) or in process.
 */
module dev.lanner.module {
    requires dev.lanner.hosting;
    requires dev.lanner.server;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;

    // Exports are added with the packages' first classes (javac rejects exporting an empty package).
    exports dev.lanner.module.site;
}
