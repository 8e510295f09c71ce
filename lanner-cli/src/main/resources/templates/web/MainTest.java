package {{package}};

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import dev.lanner.hosting.testing.TestClient;
import dev.lanner.hosting.testing.TestResponse;
import dev.lanner.hosting.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The application's endpoints through the in-memory TestServer: no sockets, no ports. */
class MainTest {

    private WebApplication app;
    private TestClient client;

    @BeforeEach
    void start() {
        // The project folder is the content root, as with `lanner run`: appsettings*.json are read from it.
        var options = WebApplicationOptions.isolated(Path.of(""), "--environment=Development");
        app = WebApplication.builder(options).useServer(new TestServer()).build();
        Main.configure(app);
        app.start();
        client = ((TestServer) app.server()).client();
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void rootSaysHello() throws IOException {
        TestResponse response = client.get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(response.bodyAsString()).isEqualTo("Hello from {{name}}!");
    }

    @Test
    void aboutShowsTheEnvironmentTheGreetingAndTheAddresses() throws IOException {
        TestResponse response = client.get("/about");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsString()).isEqualTo(
                "{\"environment\": \"Development\", \"greeting\": \"Hello from appsettings\", \"urls\": [\"http://localhost\"]}");
    }
}
