package dev.lanner.module.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SiteFileTest {

    @TempDir
    Path root;

    private Path write(String json) throws IOException {
        Path folder = Files.createDirectories(root.resolve("site"));
        return Files.writeString(folder.resolve("site.json"), json);
    }

    private static String withApplication(String keys) {
        return "{\"bindings\": [{\"url\": \"http://127.0.0.1:8080\"}], \"applications\": [{" + keys + "}]}";
    }

    @Test
    void readsEveryKey() throws Exception {
        Path file = write("""
                {
                  // comments are allowed
                  "environment": "Staging",
                  "bindings": [
                    { "url": "http://127.0.0.1:8080" },
                    { "url": "https://127.0.0.1:8443", "protocols": "http1andhttp2",
                      "certificate": { "path": "cert.pem", "keyPath": "/etc/key.pem", "password": "secret" } },
                    { "url": "https://*:9443", "protocols": "Http2", "certificate": { "path": "certs/site.pfx", "password": null } }
                  ],
                  "applications": [
                    { "name": "hello", "path": "/outproc/", "host": "Example.COM", "hostingModel": "OutOfProcess",
                      "directory": "../hello", "processPath": "../../lanner", "arguments": "run '../my app' --x=\\"1 2\\"",
                      "environmentVariables": { "Hosting__RequestLog": "false", "A": 1, "B": true },
                      "stdoutLogEnabled": true, "stdoutLogFile": "log/out",
                      "startupTimeLimit": 30, "shutdownTimeLimit": 0, "rapidFailsPerMinute": 3,
                      "requestTimeout": "00:02:30", "processesPerApplication": 4, "aotCache": false },
                    { "name": "inproc", "path": "/in", "host": "*.example.com", "hostingModel": "inprocess",
                      "directory": "/srv/in", "arguments": ["a b", ""], "stdoutLogFile": "/var/log/in",
                      "startupTimeLimit": "PT1M", "shutdownTimeLimit": "1.5", "requestTimeout": 0.25,
                      "jar": "lib/app.jar", "mainClass": "com.example.Main", "forwardClientCertificate": true }
                  ]
                }
                """);
        Path folder = file.getParent();
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("Hosting__RequestLog", "false");
        variables.put("A", "1");
        variables.put("B", "true");

        Site site = SiteFile.load(file, Map.of("LANNER_ENVIRONMENT", "Development"));

        assertThat(site).isEqualTo(new Site(file, "Staging",
                List.of(new Binding("http://127.0.0.1:8080", null, null),
                        new Binding("https://127.0.0.1:8443", "Http1AndHttp2",
                                new CertificateEntry(folder.resolve("cert.pem"), Path.of("/etc/key.pem"), "secret")),
                        new Binding("https://*:9443", "Http2",
                                new CertificateEntry(folder.resolve("certs/site.pfx"), null, null))),
                List.of(new ApplicationEntry("hello", "/outproc", "example.com", root.resolve("hello"),
                                HostingModel.OUT_OF_PROCESS, "../../lanner", List.of("run", "../my app", "--x=1 2"),
                                variables, true, root.resolve("hello/log/out"), Duration.ofSeconds(30),
                                Duration.ZERO, 3, Duration.ofSeconds(150), 4, null, null, false, List.of(), false),
                        new ApplicationEntry("inproc", "/in", "*.example.com", Path.of("/srv/in"),
                                HostingModel.IN_PROCESS, null, List.of("a b", ""), Map.of(), false,
                                Path.of("/var/log/in"), Duration.ofMinutes(1), Duration.ofMillis(1500), 10,
                                Duration.ofMillis(250), 1, Path.of("/srv/in/lib/app.jar"), "com.example.Main", true, List.of(), true))));
        assertThat(site.applications().get(0).environmentVariables().keySet())
                .containsExactly("Hosting__RequestLog", "A", "B");
    }

    @Test
    void appliesDefaultsForMissingKeys() throws Exception {
        Path file = write(withApplication("\"path\": \"/\", \"processPath\": \"./run.sh\""));
        Path folder = file.getParent();

        Site site = SiteFile.load(file, Map.of());

        assertThat(site).isEqualTo(new Site(file, "Production",
                List.of(new Binding("http://127.0.0.1:8080", null, null)),
                List.of(new ApplicationEntry("root", "/", null, folder, HostingModel.OUT_OF_PROCESS, "./run.sh",
                        List.of(), Map.of(), false, folder.resolve("logs/stdout"), Duration.ofSeconds(120),
                        Duration.ofSeconds(10), 10, Duration.ofMinutes(2), 1))));
    }

    @Test
    void nullIsTheSameAsAMissingKey() throws Exception {
        Path file = write(withApplication("\"path\": \"/a\", \"processPath\": \"java\", \"name\": null, \"host\": null, "
                + "\"directory\": null, \"arguments\": null, \"startupTimeLimit\": null, \"processesPerApplication\": null"));
        ApplicationEntry application = SiteFile.load(file, Map.of()).applications().get(0);
        assertThat(application.name()).isEqualTo("a");
        assertThat(application.host()).isNull();
        assertThat(application.directory()).isEqualTo(file.getParent());
        assertThat(application.arguments()).isEmpty();
        assertThat(application.startupTimeLimit()).isEqualTo(Duration.ofSeconds(120));
        assertThat(application.processesPerApplication()).isEqualTo(1);
    }

    @Test
    void theEnvironmentComesFromTheFileThenLannerEnvironmentThenProduction() throws Exception {
        Path file = write(withApplication("\"path\": \"/a\", \"processPath\": \"java\""));
        assertThat(SiteFile.load(file, Map.of("LANNER_ENVIRONMENT", "Development")).environment()).isEqualTo("Development");
        assertThat(SiteFile.load(file, Map.of("LANNER_ENVIRONMENT", " ")).environment()).isEqualTo("Production");
        assertThat(SiteFile.load(file, Map.of()).environment()).isEqualTo("Production");
        Path explicit = write("{\"environment\": \"Staging\", " + withApplication("\"path\": \"/a\", \"processPath\": \"java\"").substring(1));
        assertThat(SiteFile.load(explicit, Map.of("LANNER_ENVIRONMENT", "Development")).environment()).isEqualTo("Staging");
    }

    @Test
    void derivesTheNameFromThePathAndNormalizesThePath() throws Exception {
        Path file = write("{\"bindings\": [{\"url\": \"http://127.0.0.1:8080\"}], \"applications\": ["
                + "{\"path\": \"//a//b/\", \"processPath\": \"java\"}, {\"path\": \"/OutProc\", \"processPath\": \"java\"}]}");
        List<ApplicationEntry> applications = SiteFile.load(file, Map.of()).applications();
        assertThat(applications).extracting(ApplicationEntry::name, ApplicationEntry::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a-b", "/a/b"),
                        org.assertj.core.groups.Tuple.tuple("OutProc", "/OutProc"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            120           | PT2M
            "120"         | PT2M
            1.5           | PT1.5S
            "00:02:00"    | PT2M
            "1.02:03:04"  | PT26H3M4S
            "00:00:01.25" | PT1.25S
            "PT2M"        | PT2M
            "pt90s"       | PT1M30S
            """)
    void readsDurationsAsSecondsTimeSpansOrIso8601(String json, String expected) throws Exception {
        Path file = write(withApplication("\"path\": \"/a\", \"processPath\": \"java\", \"requestTimeout\": " + json));
        assertThat(SiteFile.load(file, Map.of()).applications().get(0).requestTimeout()).isEqualTo(Duration.parse(expected));
    }

    @Test
    void reportsAMissingFile() {
        Path file = root.resolve("missing.json");
        assertThatThrownBy(() -> SiteFile.load(file, Map.of()))
                .isInstanceOf(SiteFileException.class)
                .hasMessage(file + ": file not found");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``                         | the file is empty; expected a JSON object
            `{"bindings": [}`          | not valid JSON at line 1, column 15: Unexpected close marker '}': expected ']' (for Array starting at line 1, column 14)
            `{"a": 1, "a": 2}`         | not valid JSON at line 1, column 13: Duplicate field 'a'
            `{} {}`                    | not valid JSON at line 1, column 4: unexpected content after the top-level value
            `[1]`                      | the top-level value is [1]; expected a JSON object with bindings and applications
            """)
    void reportsAFileThatIsNotJsonOnOneLine(String json, String expected) throws Exception {
        Path file = write(json == null ? "" : json);
        assertThatThrownBy(() -> SiteFile.load(file, Map.of()))
                .isInstanceOf(SiteFileException.class)
                .hasMessage(file + ": " + expected);
    }

    static final String APP = "\"path\": \"/a\", \"processPath\": \"java\"";

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `{"enviroment": "x"}` | enviroment is not a known key; expected one of environment, bindings, applications, authentication (keys are case-sensitive)
            `{"environment": "", "bindings": [], "applications": []}` | environment has the invalid value ""; expected a non-empty string
            `{"applications": [{}]}` | bindings is missing; expected an array with at least one binding, such as [{"url": "http://127.0.0.1:8080"}]
            `{"bindings": [], "applications": [{}]}` | bindings has the invalid value []; expected an array with at least one binding, such as [{"url": "http://127.0.0.1:8080"}]
            `{"bindings": ["http://127.0.0.1:8080"]}` | bindings[0] has the invalid value "http://127.0.0.1:8080"; expected an object with a url, such as {"url": "http://127.0.0.1:8080"}
            `{"bindings": [{"URL": "http://127.0.0.1:8080"}]}` | bindings[0].URL is not a known key; expected one of url, protocols, certificate, clientCertificateMode (keys are case-sensitive)
            `{"bindings": [{"protocols": "Http1"}]}` | bindings[0].url is missing; expected an http or https URL with a host and an explicit port, such as "http://127.0.0.1:8080"
            `{"bindings": [{"url": "ftp://127.0.0.1:21"}]}` | bindings[0].url has the invalid value "ftp://127.0.0.1:21"; expected an http or https URL with a host and an explicit port, such as "http://127.0.0.1:8080"
            `{"bindings": [{"url": "http://127.0.0.1"}]}` | bindings[0].url has the invalid value "http://127.0.0.1"; expected an http or https URL with a host and an explicit port, such as "http://127.0.0.1:8080"
            `{"bindings": [{"url": "http://127.0.0.1:8080/app"}]}` | bindings[0].url has the invalid value "http://127.0.0.1:8080/app"; expected an http or https URL with a host and an explicit port, such as "http://127.0.0.1:8080"
            `{"bindings": [{"url": "http://127.0.0.1:99999"}]}` | bindings[0].url has the invalid value "http://127.0.0.1:99999"; expected an http or https URL with a host and an explicit port, such as "http://127.0.0.1:8080"
            `{"bindings": [{"url": "http://:8080"}]}` | bindings[0].url has the invalid value "http://:8080"; expected an http or https URL with a host and an explicit port, such as "http://127.0.0.1:8080"
            `{"bindings": [{"url": "http://127.0.0.1:8080"}, {"url": "HTTP://127.0.0.1:8080/"}]}` | bindings[1].url has the invalid value "HTTP://127.0.0.1:8080/"; expected an address no other binding uses (bindings[0].url has it)
            `{"bindings": [{"url": "http://127.0.0.1:8080", "protocols": "Http3"}]}` | bindings[0].protocols has the invalid value "Http3"; expected one of Http1, Http2, Http1AndHttp2
            `{"bindings": [{"url": "http://127.0.0.1:8080", "certificate": {"path": "c.pem"}}]}` | bindings[0].certificate has the invalid value {"path":"c.pem"}; expected no certificate on an http binding (only https bindings use one)
            `{"bindings": [{"url": "https://127.0.0.1:8443", "certificate": "c.pem"}]}` | bindings[0].certificate has the invalid value "c.pem"; expected an object with a path, such as {"path": "cert.pem", "keyPath": "key.pem"}
            `{"bindings": [{"url": "https://127.0.0.1:8443", "certificate": {"keyPath": "k.pem"}}]}` | bindings[0].certificate.path is missing; expected a non-empty file path (a PEM certificate or a PKCS#12 file)
            `{"bindings": [{"url": "https://127.0.0.1:8443", "certificate": {"path": " "}}]}` | bindings[0].certificate.path has the invalid value " "; expected a non-empty file path
            `{"bindings": [{"url": "https://127.0.0.1:8443", "certificate": {"path": "c.pem", "keyPath": ""}}]}` | bindings[0].certificate.keyPath has the invalid value ""; expected a non-empty file path
            `{"bindings": [{"url": "https://127.0.0.1:8443", "certificate": {"path": "c.pem", "password": 1234}}]}` | bindings[0].certificate.password has the invalid value 1234; expected a string or null
            `{"bindings": [{"url": "https://127.0.0.1:8443", "certificate": {"path": "c.pem", "pasword": "x"}}]}` | bindings[0].certificate.pasword is not a known key; expected one of path, keyPath, password (keys are case-sensitive)
            `{"bindings": [{"url": "http://127.0.0.1:8080"}]}` | applications is missing; expected an array with at least one application
            `{"bindings": [{"url": "http://127.0.0.1:8080"}], "applications": {}}` | applications has the invalid value {}; expected an array with at least one application
            `{"bindings": [{"url": "http://127.0.0.1:8080", "clientCertificateMode": "AllowCertificate"}], "applications": [{"path": "/", "processPath": "java"}]}` | bindings[0].clientCertificateMode has the invalid value "AllowCertificate"; expected no client certificate mode on an http binding
            `{"bindings": [{"url": "https://127.0.0.1:8443", "clientCertificateMode": "sometimes"}], "applications": [{"path": "/", "processPath": "java"}]}` | bindings[0].clientCertificateMode has the invalid value "sometimes"; expected one of NoCertificate, AllowCertificate, RequireCertificate
            `{"bindings": [{"url": "http://127.0.0.1:8080"}], "applications": [{"path": "/", "processPath": "java"}], "authentication": {}}` | authentication has the invalid value {}; expected basic and/or clientCertificate
            `{"bindings": [{"url": "http://127.0.0.1:8080"}], "applications": [{"path": "/", "processPath": "java"}], "authentication": {"basic": {}}}` | authentication.basic.credentialsFile is missing; expected a non-empty file path (user:hash lines; lanner module hash-password makes a hash)
            `{"bindings": [{"url": "http://127.0.0.1:8080"}], "applications": [{"path": "/", "processPath": "java"}], "authentication": {"clientCertificate": {"users": {"CN=a": ""}}}}` | authentication.clientCertificate.users.CN=a has the invalid value ""; expected a non-empty user name
            """)
    void reportsSiteAndBindingErrors(String json, String expected) throws Exception {
        Path file = write(json);
        assertThatThrownBy(() -> SiteFile.load(file, Map.of()))
                .isInstanceOf(SiteFileException.class)
                .hasMessage(file + ": " + expected);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `"path": "/a", "procesPath": "java"` | applications[0].procesPath is not a known key; expected one of name, path, host, directory, hostingModel, processPath, arguments, environmentVariables, stdoutLogEnabled, stdoutLogFile, startupTimeLimit, shutdownTimeLimit, rapidFailsPerMinute, requestTimeout, processesPerApplication, jar, mainClass, forwardClientCertificate, classPath, aotCache (keys are case-sensitive)
            `"processPath": "java"` | applications[0].path is missing; expected a path starting with '/' without '.' or '..' segments, '?', '#', '\\' or spaces, such as "/outproc" or "/"
            `"path": "a", "processPath": "java"` | applications[0].path has the invalid value "a"; expected a path starting with '/' without '.' or '..' segments, '?', '#', '\\' or spaces, such as "/outproc" or "/"
            `"path": "/a/../b", "processPath": "java"` | applications[0].path has the invalid value "/a/../b"; expected a path starting with '/' without '.' or '..' segments, '?', '#', '\\' or spaces, such as "/outproc" or "/"
            `"path": "/a?x", "processPath": "java"` | applications[0].path has the invalid value "/a?x"; expected a path starting with '/' without '.' or '..' segments, '?', '#', '\\' or spaces, such as "/outproc" or "/"
            `"path": "/a", "name": " ", "processPath": "java"` | applications[0].name has the invalid value " "; expected a non-empty string
            `"path": "/a", "host": "http://example.com", "processPath": "java"` | applications[0].host has the invalid value "http://example.com"; expected a host name such as "example.com" or "*.example.com" (no scheme or port); leave host out to match any host
            `"path": "/a", "host": "example.com:80", "processPath": "java"` | applications[0].host has the invalid value "example.com:80"; expected a host name such as "example.com" or "*.example.com" (no scheme or port); leave host out to match any host
            `"path": "/a", "host": "a.*.com", "processPath": "java"` | applications[0].host has the invalid value "a.*.com"; expected a host name such as "example.com" or "*.example.com" (no scheme or port); leave host out to match any host
            `"path": "/a", "directory": "", "processPath": "java"` | applications[0].directory has the invalid value ""; expected a non-empty file path
            `"path": "/a", "hostingModel": "inproc"` | applications[0].hostingModel has the invalid value "inproc"; expected outofprocess or inprocess
            `"path": "/a", "hostingModel": "inprocess", "mainClass": "com.example..Main"` | applications[0].mainClass has the invalid value "com.example..Main"; expected a fully qualified class name such as "com.example.Main"
            `"path": "/a", "hostingModel": "inprocess", "jar": ""` | applications[0].jar has the invalid value ""; expected a non-empty file path
            `"path": "/a", "processPath": "java", "forwardClientCertificate": "yes"` | applications[0].forwardClientCertificate has the invalid value "yes"; expected true or false
            `"path": "/a", "processPath": "java", "aotCache": "off"` | applications[0].aotCache has the invalid value "off"; expected true or false
            `"path": "/a", "hostingModel": "inprocess", "classPath": ["target/classes"]` | applications[0].mainClass is missing; expected the class whose main runs (required with classPath)
            `"path": "/a", "hostingModel": "inprocess", "classPath": [], "mainClass": "a.B"` | applications[0].classPath has the invalid value []; expected an array of class path entries (folders or jars, the application's classes first)
            `"path": "/a"` | applications[0].processPath is missing; expected the command that starts the application, such as "java" or "./run.sh" (required when hostingModel is outofprocess)
            `"path": "/a", "hostingModel": "outofprocess", "processPath": "  "` | applications[0].processPath has the invalid value "  "; expected the command that starts the application, such as "java" or "./run.sh"
            `"path": "/a", "processPath": "java", "arguments": "-jar \\"app.jar"` | applications[0].arguments has the invalid value "-jar \\"app.jar"; expected arguments split like a shell (a double quote is not closed)
            `"path": "/a", "processPath": "java", "arguments": ["-jar", 1]` | applications[0].arguments[1] has the invalid value 1; expected a string
            `"path": "/a", "processPath": "java", "arguments": {"a": "b"}` | applications[0].arguments has the invalid value {"a":"b"}; expected a string (split like a shell) or an array of strings
            `"path": "/a", "processPath": "java", "environmentVariables": ["A=1"]` | applications[0].environmentVariables has the invalid value ["A=1"]; expected an object of variable names to values, such as {"Hosting__RequestLog": "false"}
            `"path": "/a", "processPath": "java", "environmentVariables": {"A=B": "1"}` | applications[0].environmentVariables has the invalid name "A=B"; expected names that are not empty and contain no '='
            `"path": "/a", "processPath": "java", "environmentVariables": {"": "1"}` | applications[0].environmentVariables has the invalid name ""; expected names that are not empty and contain no '='
            `"path": "/a", "processPath": "java", "environmentVariables": {"A": {}}` | applications[0].environmentVariables.A has the invalid value {}; expected a string
            `"path": "/a", "processPath": "java", "stdoutLogEnabled": "true"` | applications[0].stdoutLogEnabled has the invalid value "true"; expected true or false
            `"path": "/a", "processPath": "java", "stdoutLogFile": ""` | applications[0].stdoutLogFile has the invalid value ""; expected a non-empty file path
            `"path": "/a", "processPath": "java", "startupTimeLimit": 0` | applications[0].startupTimeLimit has the invalid value 0; expected a duration greater than zero: seconds (120), "HH:MM:SS" ("00:02:00") or ISO-8601 ("PT2M")
            `"path": "/a", "processPath": "java", "startupTimeLimit": "2 minutes"` | applications[0].startupTimeLimit has the invalid value "2 minutes"; expected a duration greater than zero: seconds (120), "HH:MM:SS" ("00:02:00") or ISO-8601 ("PT2M")
            `"path": "/a", "processPath": "java", "shutdownTimeLimit": -1` | applications[0].shutdownTimeLimit has the invalid value -1; expected a duration of zero or more: seconds (120), "HH:MM:SS" ("00:02:00") or ISO-8601 ("PT2M")
            `"path": "/a", "processPath": "java", "requestTimeout": "00:61:00"` | applications[0].requestTimeout has the invalid value "00:61:00"; expected a duration greater than zero: seconds (120), "HH:MM:SS" ("00:02:00") or ISO-8601 ("PT2M")
            `"path": "/a", "processPath": "java", "requestTimeout": "PT0S"` | applications[0].requestTimeout has the invalid value "PT0S"; expected a duration greater than zero: seconds (120), "HH:MM:SS" ("00:02:00") or ISO-8601 ("PT2M")
            `"path": "/a", "processPath": "java", "rapidFailsPerMinute": 0` | applications[0].rapidFailsPerMinute has the invalid value 0; expected a whole number of at least 1
            `"path": "/a", "processPath": "java", "rapidFailsPerMinute": 2.5` | applications[0].rapidFailsPerMinute has the invalid value 2.5; expected a whole number of at least 1
            `"path": "/a", "processPath": "java", "processesPerApplication": 101` | applications[0].processesPerApplication has the invalid value 101; expected a whole number from 1 to 100
            `"path": "/a", "processPath": "java", "processesPerApplication": "2"` | applications[0].processesPerApplication has the invalid value "2"; expected a whole number from 1 to 100
            """)
    void reportsApplicationErrors(String keys, String expected) throws Exception {
        Path file = write(withApplication(keys));
        assertThatThrownBy(() -> SiteFile.load(file, Map.of()))
                .isInstanceOf(SiteFileException.class)
                .hasMessage(file + ": " + expected);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `{"path": "/a", "processPath": "java"}, {"path": "/b", "name": "A", "processPath": "java"}` | applications[1].name has the invalid value "A"; expected a name no other application has (applications[0] has it; names are compared ignoring case)
            `{"path": "/a-b", "processPath": "java"}, {"path": "/a/b", "processPath": "java"}` | applications[1].path has the invalid value "/a/b"; expected a path whose name ("a-b") no other application has (applications[0] has it); or set name
            `{"path": "/a", "processPath": "java"}, {"path": "/A/", "name": "b", "processPath": "java"}` | applications[1].path has the invalid value "/A/"; expected a mount no other application has (applications[0] has this path on any host; paths are compared ignoring case)
            `{"path": "/a", "host": "x.org", "processPath": "java"}, {"path": "/a", "name": "b", "host": "X.org", "processPath": "java"}` | applications[1].path has the invalid value "/a"; expected a mount no other application has (applications[0] has this path on host x.org; paths are compared ignoring case)
            """)
    void reportsDuplicateNamesAndMounts(String applications, String expected) throws Exception {
        Path file = write("{\"bindings\": [{\"url\": \"http://127.0.0.1:8080\"}], \"applications\": [" + applications + "]}");
        assertThatThrownBy(() -> SiteFile.load(file, Map.of()))
                .isInstanceOf(SiteFileException.class)
                .hasMessage(file + ": " + expected)
                .extracting(e -> ((SiteFileException) e).key())
                .isEqualTo(expected.substring(0, expected.indexOf(' ')));
    }

    @Test
    void theSameMountOnDifferentHostsIsAllowed() throws Exception {
        Path file = write("{\"bindings\": [{\"url\": \"http://127.0.0.1:8080\"}], \"applications\": ["
                + "{\"name\": \"a\", \"path\": \"/a\", \"processPath\": \"java\"},"
                + "{\"name\": \"b\", \"path\": \"/a\", \"host\": \"x.org\", \"processPath\": \"java\"}]}");
        assertThat(SiteFile.load(file, Map.of()).applications()).hasSize(2);
    }

    @Test
    void theExceptionNamesTheFileAndKey() throws Exception {
        Path file = write(withApplication("\"path\": \"/a\", \"processPath\": \"java\", \"startupTimeLimit\": 0"));
        assertThatThrownBy(() -> SiteFile.load(file, Map.of()))
                .isInstanceOfSatisfying(SiteFileException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.key()).isEqualTo("applications[0].startupTimeLimit");
                });
    }
}
