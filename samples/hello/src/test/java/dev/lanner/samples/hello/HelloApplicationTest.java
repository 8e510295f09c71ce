package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import dev.lanner.hosting.testing.TestClient;
import dev.lanner.hosting.testing.TestRequest;
import dev.lanner.hosting.testing.TestResponse;
import dev.lanner.hosting.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every sample endpoint, round-tripped through the in-memory TestServer. */
class HelloApplicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static WebApplication app;
    private static TestClient client;

    @BeforeAll
    static void start(@TempDir Path root) {
        app = WebApplication.builder(WebApplicationOptions.isolated(root)).useServer(new TestServer()).build();
        HelloApplication.configure(app);
        app.start();
        client = ((TestServer) app.server()).client();
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    @Test
    void plaintext() throws IOException {
        TestResponse r = client.get("/plaintext");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("text/plain");
        assertThat(r.header("Content-Length")).isEqualTo("13");
        assertThat(r.bodyAsString()).isEqualTo("Hello, World!");
    }

    @Test
    void json() throws IOException {
        TestResponse r = client.get("/json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.bodyAsString()).isEqualTo("{\"message\":\"Hello, World!\"}");
    }

    @Test
    void echoReturnsTheBodyWithItsContentType() throws IOException {
        byte[] body = new byte[4096];
        Arrays.fill(body, (byte) 'x');
        TestResponse r = client.send(TestRequest.post("/echo").header("Content-Type", "application/x-test").body(body));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/x-test");
        assertThat(r.header("Content-Length")).isEqualTo("4096");
        assertThat(r.body()).isEqualTo(body);
    }

    @Test
    void echoWithoutContentTypeIsOctetStream() throws IOException {
        TestResponse r = client.send(TestRequest.post("/echo").body("abc"));
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(r.bodyAsString()).isEqualTo("abc");
    }

    @Test
    void headersAreReturnedAsJson() throws IOException {
        TestResponse r = client.send(TestRequest.get("/headers").header("X-One", "1").header("X-Two", "a").header("X-Two", "b"));
        JsonNode json = JSON.readTree(r.body());
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(json.get("X-One").asText()).isEqualTo("1");
        assertThat(json.get("X-Two").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(json.get("Host").asText()).isEqualTo("localhost");
    }

    @Test
    void infoDescribesTheRequestAsTheApplicationSeesIt() throws IOException {
        JsonNode json = JSON.readTree(client.get("/info").body());
        assertThat(json.get("scheme").asText()).isEqualTo("http");
        assertThat(json.get("host").asText()).isEqualTo("localhost");
        assertThat(json.get("pathBase").asText()).isEmpty();
        assertThat(json.get("path").asText()).isEqualTo("/info");
        assertThat(json.get("remoteAddress").isNull()).isTrue();
        assertThat(json.get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(json.get("server").asText()).isEqualTo("TestServer");
        assertThat(json.get("user").isNull()).isTrue();
    }

    @Test
    void homePageNamesTheServerAndAddresses() throws IOException {
        TestResponse r = client.get("/");
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.bodyAsString())
                .contains("<strong id=\"server\">TestServer</strong>")
                .contains("<li>http://localhost</li>");
    }

    @Test
    void unknownPathIs404() throws IOException {
        assertThat(client.get("/missing").statusCode()).isEqualTo(404);
    }
}
