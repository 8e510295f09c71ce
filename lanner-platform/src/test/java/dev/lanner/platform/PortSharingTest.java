package dev.lanner.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.hosting.StartupException;
import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Several applications of one JVM on one port, each with its URL prefixes (DESIGN §5). */
@Timeout(60)
class PortSharingTest {

    @TempDir
    Path root;

    private final List<WebApplication> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (WebApplication app : started) {
            app.stop(Duration.ofSeconds(1));
        }
    }

    /** An application on the platform server that answers with its name, path base and path. */
    private WebApplication start(String name, String url) {
        WebApplication app = WebApplication.builder(WebApplicationOptions.isolated(root,
                        "--server=platform", "--urls=" + url, "--Hosting:RequestLog=false")
                .withApplicationName(name)).build();
        app.run(ctx -> ctx.response().write(name + " base=" + ctx.request().pathBase() + " path=" + ctx.request().path()));
        app.start();
        started.add(app);
        return app;
    }

    private static int portOf(WebApplication app) {
        return UrlPrefix.parse(app.urls().get(0)).port();
    }

    private static String get(int port, String path) throws Exception {
        return RawHttp.body(RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close\r\n\r\n"));
    }

    @Test
    void twoApplicationsShareAPortByPrefix() throws Exception {
        WebApplication first = start("first", "http://+:0/a/");
        int port = portOf(first);
        assertThat(first.urls()).containsExactly("http://+:" + port + "/a/");
        start("second", "http://*:" + port + "/");

        assertThat(get(port, "/a/x")).isEqualTo("first base=/a path=/x");
        assertThat(get(port, "/a")).isEqualTo("first base=/a path=");
        assertThat(get(port, "/A/x")).isEqualTo("first base=/A path=/x");
        assertThat(get(port, "/b")).isEqualTo("second base= path=/b");
        assertThat(get(port, "/ab")).isEqualTo("second base= path=/ab");
    }

    @Test
    void stoppingAnApplicationFreesItsPrefixForTheNext() throws Exception {
        WebApplication first = start("first", "http://+:0/a/");
        int port = portOf(first);
        start("second", "http://*:" + port + "/");

        first.stop(Duration.ofSeconds(1));
        started.remove(first);
        // The weak wildcard now claims what /a/ claimed.
        assertThat(get(port, "/a/x")).isEqualTo("second base= path=/a/x");

        start("third", "http://+:" + port + "/a/");
        assertThat(get(port, "/a/x")).isEqualTo("third base=/a path=/x");
        assertThat(get(port, "/b")).isEqualTo("second base= path=/b");
    }

    @Test
    void registeringATakenPrefixFailsNamingItsOwner() {
        WebApplication first = start("orders", "http://+:0/orders/");
        int port = portOf(first);
        assertThatThrownBy(() -> start("intruder", "http://+:" + port + "/Orders"))
                .isInstanceOf(StartupException.class)
                .hasMessage("The URL prefix http://+:" + port + "/Orders/ is already registered by application 'orders'");
    }

    @Test
    void aFailedRegistrationLeavesNoPrefixBehind() throws Exception {
        WebApplication first = start("first", "http://+:0/a/");
        int port = portOf(first);
        // The second prefix is taken: neither of this application's prefixes may stay registered.
        assertThatThrownBy(() -> start("both", "http://+:" + port + "/b/;http://+:" + port + "/a/"))
                .isInstanceOf(StartupException.class);
        assertThat(UrlPrefixRegistry.processWide().registrations().keySet().stream().map(UrlPrefix::toString))
                .doesNotContain("http://+:" + port + "/b/");
        start("later", "http://+:" + port + "/b/");
        assertThat(get(port, "/b/1")).isEqualTo("later base=/b path=/1");
    }

    @Test
    void stoppingTheLastApplicationOfAPortClosesIt() throws Exception {
        WebApplication only = start("only", "http://127.0.0.1:0/");
        int port = portOf(only);
        assertThat(get(port, "/x")).isEqualTo("only base= path=/x");
        only.stop(Duration.ofSeconds(1));
        started.remove(only);
        assertThatThrownBy(() -> RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
                .isInstanceOf(java.net.ConnectException.class);
    }
}
