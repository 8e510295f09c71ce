package dev.lanner.module.site;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanner.server.BindingAddress;
import dev.lanner.server.HttpProtocols;
import dev.lanner.server.tls.ClientCertificateMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a site file (JSON) into a {@link Site}: defaults applied, relative paths resolved, every value
 * checked. Keys are exactly the camelCase names documented in {@code docs/module.md}; an unknown key is
 * an error so that a typo is never silently ignored. {@code null} is the same as a missing key (the
 * default applies; a required key is reported). Comments and trailing commas are allowed; a duplicate
 * key is an error.
 */
public final class SiteFile {

    static final String DEFAULT_ENVIRONMENT = "Production";
    static final String ENVIRONMENT_VARIABLE = "LANNER_ENVIRONMENT";
    static final Duration DEFAULT_STARTUP_TIME_LIMIT = Duration.ofSeconds(120);
    static final Duration DEFAULT_SHUTDOWN_TIME_LIMIT = Duration.ofSeconds(10);
    static final int DEFAULT_RAPID_FAILS_PER_MINUTE = 10;
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(2);
    static final int DEFAULT_PROCESSES_PER_APPLICATION = 1;
    static final int MAX_PROCESSES_PER_APPLICATION = 100;

    private static final List<String> SITE_KEYS = List.of("environment", "bindings", "applications", "authentication");
    private static final List<String> BINDING_KEYS = List.of("url", "protocols", "certificate", "clientCertificateMode");
    private static final List<String> AUTHENTICATION_KEYS = List.of("basic", "clientCertificate", "required");
    private static final List<String> BASIC_KEYS = List.of("credentialsFile", "realm");
    private static final List<String> CLIENT_CERTIFICATE_KEYS = List.of("users", "issuers");
    private static final String DEFAULT_REALM = "lanner";
    private static final List<String> CERTIFICATE_KEYS = List.of("path", "keyPath", "password");
    private static final List<String> APPLICATION_KEYS = List.of("name", "path", "host", "directory",
            "hostingModel", "processPath", "arguments", "environmentVariables", "stdoutLogEnabled",
            "stdoutLogFile", "startupTimeLimit", "shutdownTimeLimit", "rapidFailsPerMinute", "requestTimeout",
            "processesPerApplication", "jar", "mainClass", "forwardClientCertificate", "classPath", "aotCache");

    private static final Pattern JAVA_CLASS_NAME =
            Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");
    private static final String DURATION_FORMATS = "seconds (120), \"HH:MM:SS\" (\"00:02:00\") or ISO-8601 (\"PT2M\")";
    private static final String URL_EXPECTED =
            "an http or https URL with a host and an explicit port, such as \"http://127.0.0.1:8080\"";
    private static final String STRING_EXPECTED = "a non-empty string";
    private static final String FILE_PATH_EXPECTED = "a non-empty file path";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** A location inside Jackson's message (the start of an unclosed object, ...). */
    private static final Pattern NESTED_LOCATION = Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)]");
    private static final Pattern HOST = Pattern.compile(
            "(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final int MAX_VALUE_DISPLAY_LENGTH = 100;

    private final Path file;
    private final Path folder;

    private SiteFile(Path file) {
        this.file = file;
        Path absolute = file.toAbsolutePath().normalize();
        this.folder = absolute.getParent();
    }

    /** Loads {@code file}, taking the default environment from the process's {@code LANNER_ENVIRONMENT}. */
    public static Site load(Path file) throws SiteFileException {
        return load(file, System.getenv());
    }

    /**
     * Loads {@code file}.
     *
     * @param environmentVariables where {@code LANNER_ENVIRONMENT} is looked up when the file sets no
     *                             {@code environment} (the process's variables, or a test's map)
     * @throws SiteFileException when the file is missing, unreadable, not JSON, or has a value out of its rules
     */
    public static Site load(Path file, Map<String, String> environmentVariables) throws SiteFileException {
        SiteFile reader = new SiteFile(file);
        return reader.site(reader.parse(), environmentVariables);
    }

    private JsonNode parse() throws SiteFileException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SiteFileException(file, null, file + ": file not found", e);
        } catch (IOException e) {
            throw new SiteFileException(file, null, file + ": cannot read the file: " + e, e);
        }
        try (JsonParser parser = JSON.createParser(content)) {
            JsonNode root = JSON.readTree(parser);
            if (root == null || root.isMissingNode()) {
                throw new SiteFileException(file, null, file + ": the file is empty; expected a JSON object", null);
            }
            if (parser.nextToken() != null) {
                throw notJson(parser.currentTokenLocation(), "unexpected content after the top-level value", null);
            }
            return root;
        } catch (JsonProcessingException e) {
            throw notJson(e.getLocation(), reason(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new SiteFileException(file, null, file + ": cannot read the file: " + e, e);
        }
    }

    private SiteFileException notJson(JsonLocation location, String reason, Throwable cause) {
        StringBuilder message = new StringBuilder().append(file).append(": not valid JSON");
        if (location != null && location.getLineNr() > 0) {
            message.append(" at line ").append(location.getLineNr()).append(", column ").append(location.getColumnNr());
        }
        return new SiteFileException(file, null, message.append(": ").append(reason).toString(), cause);
    }

    /** Jackson's message with its nested source descriptions reduced to "line L, column C". */
    private static String reason(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        return NESTED_LOCATION.matcher(message).replaceAll(match -> "line " + match.group(1) + ", column " + match.group(2));
    }

    // ---- the site ---------------------------------------------------------------------------------

    private Site site(JsonNode root, Map<String, String> environmentVariables) throws SiteFileException {
        if (!root.isObject()) {
            throw new SiteFileException(file, null, file + ": the top-level value is " + display(root)
                    + "; expected a JSON object with bindings and applications", null);
        }
        ObjectNode site = (ObjectNode) root;
        onlyKnownKeys("", site, SITE_KEYS);

        String environment = optionalString("environment", site.get("environment"));
        if (environment == null) {
            String variable = environmentVariables.get(ENVIRONMENT_VARIABLE);
            environment = variable == null || variable.isBlank() ? DEFAULT_ENVIRONMENT : variable.strip();
        }

        List<Binding> bindings = new ArrayList<>();
        Map<String, String> bindingAddresses = new HashMap<>();
        List<JsonNode> bindingNodes = nonEmptyArray("bindings", site.get("bindings"),
                "an array with at least one binding, such as [{\"url\": \"http://127.0.0.1:8080\"}]");
        for (int i = 0; i < bindingNodes.size(); i++) {
            bindings.add(binding("bindings[" + i + "]", bindingNodes.get(i), bindingAddresses));
        }

        List<ApplicationEntry> applications = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, String> mounts = new HashMap<>();
        List<JsonNode> applicationNodes = nonEmptyArray("applications", site.get("applications"),
                "an array with at least one application");
        for (int i = 0; i < applicationNodes.size(); i++) {
            applications.add(application("applications[" + i + "]", applicationNodes.get(i), names, mounts));
        }
        EdgeAuthenticationEntry authentication = authentication("authentication", present(site.get("authentication")));
        return new Site(file.toAbsolutePath().normalize(), environment, bindings, applications, authentication);
    }

    private EdgeAuthenticationEntry authentication(String key, JsonNode node) throws SiteFileException {
        if (node == null) {
            return null;
        }
        ObjectNode authentication = object(key, node,
                "an object with basic and/or clientCertificate, such as {\"basic\": {\"credentialsFile\": \"users.txt\"}}");
        onlyKnownKeys(key, authentication, AUTHENTICATION_KEYS);
        JsonNode basicNode = present(authentication.get("basic"));
        JsonNode certificateNode = present(authentication.get("clientCertificate"));
        if (basicNode == null && certificateNode == null) {
            throw invalid(key, node, "basic and/or clientCertificate");
        }
        Path credentialsFile = null;
        String realm = DEFAULT_REALM;
        if (basicNode != null) {
            ObjectNode basic = object(key + ".basic", basicNode,
                    "an object with a credentialsFile, such as {\"credentialsFile\": \"users.txt\"}");
            onlyKnownKeys(key + ".basic", basic, BASIC_KEYS);
            JsonNode fileNode = present(basic.get("credentialsFile"));
            if (fileNode == null) {
                throw missing(key + ".basic.credentialsFile", FILE_PATH_EXPECTED
                        + " (user:hash lines; lanner module hash-password makes a hash)");
            }
            credentialsFile = filePath(key + ".basic.credentialsFile", fileNode, folder);
            String givenRealm = optionalString(key + ".basic.realm", basic.get("realm"));
            if (givenRealm != null) {
                if (givenRealm.indexOf('"') >= 0 || givenRealm.indexOf('\\') >= 0) {
                    throw invalid(key + ".basic.realm", basic.get("realm"), "a realm without '\"' or '\\'");
                }
                realm = givenRealm;
            }
        }
        Map<String, String> users = new LinkedHashMap<>();
        Path issuers = null;
        if (certificateNode != null) {
            ObjectNode certificate = object(key + ".clientCertificate", certificateNode,
                    "an object with users, such as {\"users\": {\"CN=alice\": \"alice\"}}");
            onlyKnownKeys(key + ".clientCertificate", certificate, CLIENT_CERTIFICATE_KEYS);
            JsonNode usersNode = present(certificate.get("users"));
            String usersExpected = "an object of certificate subjects (\"CN=alice,O=Example\") or thumbprints "
                    + "(\"sha256:<hex>\") to user names";
            if (usersNode == null) {
                throw missing(key + ".clientCertificate.users", usersExpected);
            }
            ObjectNode map = object(key + ".clientCertificate.users", usersNode, usersExpected);
            for (Iterator<Map.Entry<String, JsonNode>> fields = map.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode user = field.getValue();
                if (field.getKey().isBlank() || !user.isTextual() || user.textValue().isBlank()) {
                    throw invalid(key + ".clientCertificate.users." + field.getKey(), user, "a non-empty user name");
                }
                users.put(field.getKey(), user.textValue());
            }
            JsonNode issuersNode = present(certificate.get("issuers"));
            issuers = issuersNode == null ? null : filePath(key + ".clientCertificate.issuers", issuersNode, folder);
        }
        boolean required = bool(key + ".required", present(authentication.get("required")));
        return new EdgeAuthenticationEntry(credentialsFile, realm, users, required, issuers);
    }

    private Binding binding(String key, JsonNode node, Map<String, String> seenAddresses) throws SiteFileException {
        ObjectNode binding = object(key, node, "an object with a url, such as {\"url\": \"http://127.0.0.1:8080\"}");
        onlyKnownKeys(key, binding, BINDING_KEYS);

        String urlKey = key + ".url";
        JsonNode urlNode = present(binding.get("url"));
        if (urlNode == null) {
            throw missing(urlKey, URL_EXPECTED);
        }
        if (!urlNode.isTextual()) {
            throw invalid(urlKey, urlNode, URL_EXPECTED);
        }
        String url = urlNode.textValue();
        BindingAddress address = bindingAddress(url);
        if (address == null) {
            throw invalid(urlKey, urlNode, URL_EXPECTED);
        }
        if (address.port() != 0) {
            String identity = address.scheme() + "://" + address.host().toLowerCase(Locale.ROOT) + ":" + address.port();
            String previous = seenAddresses.putIfAbsent(identity, urlKey);
            if (previous != null) {
                throw invalid(urlKey, urlNode, "an address no other binding uses (" + previous + " has it)");
            }
        }

        String protocols = null;
        JsonNode protocolsNode = present(binding.get("protocols"));
        if (protocolsNode != null) {
            HttpProtocols parsed = protocolsNode.isTextual() ? HttpProtocols.parse(protocolsNode.textValue()) : null;
            if (parsed == null) {
                throw invalid(key + ".protocols", protocolsNode, "one of Http1, Http2, Http1AndHttp2");
            }
            protocols = switch (parsed) {
                case HTTP1 -> "Http1";
                case HTTP2 -> "Http2";
                case HTTP1_AND_HTTP2 -> "Http1AndHttp2";
            };
        }

        CertificateEntry certificate = null;
        JsonNode certificateNode = present(binding.get("certificate"));
        if (certificateNode != null) {
            if (!address.isHttps()) {
                throw invalid(key + ".certificate", certificateNode,
                        "no certificate on an http binding (only https bindings use one)");
            }
            certificate = certificate(key + ".certificate", certificateNode);
        }
        String clientCertificateMode = null;
        JsonNode modeNode = present(binding.get("clientCertificateMode"));
        if (modeNode != null) {
            ClientCertificateMode mode = modeNode.isTextual() ? ClientCertificateMode.parse(modeNode.textValue()) : null;
            if (mode == null) {
                throw invalid(key + ".clientCertificateMode", modeNode, "one of NoCertificate, AllowCertificate, RequireCertificate");
            }
            if (!address.isHttps()) {
                throw invalid(key + ".clientCertificateMode", modeNode, "no client certificate mode on an http binding");
            }
            clientCertificateMode = switch (mode) {
                case NO_CERTIFICATE -> "NoCertificate";
                case ALLOW_CERTIFICATE -> "AllowCertificate";
                case REQUIRE_CERTIFICATE -> "RequireCertificate";
            };
        }
        return new Binding(url, protocols, certificate, clientCertificateMode);
    }

    /** The listen address as the server reads it, or {@code null} unless it is http(s)://host:port with no path. */
    private static BindingAddress bindingAddress(String url) {
        BindingAddress address;
        try {
            address = BindingAddress.parse(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (address.kind() == BindingAddress.Kind.UNIX || !address.pathBase().isEmpty()) {
            return null;
        }
        // BindingAddress defaults the port from the scheme; a site file must say it.
        String rest = url.strip().substring(url.strip().indexOf("://") + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        int close = authority.lastIndexOf(']');
        return authority.indexOf(':', close + 1) < 0 ? null : address;
    }

    private CertificateEntry certificate(String key, JsonNode node) throws SiteFileException {
        ObjectNode certificate = object(key, node,
                "an object with a path, such as {\"path\": \"cert.pem\", \"keyPath\": \"key.pem\"}");
        onlyKnownKeys(key, certificate, CERTIFICATE_KEYS);
        JsonNode pathNode = present(certificate.get("path"));
        if (pathNode == null) {
            throw missing(key + ".path", FILE_PATH_EXPECTED + " (a PEM certificate or a PKCS#12 file)");
        }
        Path path = filePath(key + ".path", pathNode, folder);
        JsonNode keyPathNode = present(certificate.get("keyPath"));
        Path keyPath = keyPathNode == null ? null : filePath(key + ".keyPath", keyPathNode, folder);
        JsonNode passwordNode = present(certificate.get("password"));
        if (passwordNode != null && !passwordNode.isTextual()) {
            throw invalid(key + ".password", passwordNode, "a string or null");
        }
        return new CertificateEntry(path, keyPath, passwordNode == null ? null : passwordNode.textValue());
    }

    // ---- applications -----------------------------------------------------------------------------

    private ApplicationEntry application(String key, JsonNode node, Map<String, String> names,
            Map<String, String> mounts) throws SiteFileException {
        ObjectNode application = object(key, node,
                "an object with a path and a processPath, such as {\"path\": \"/app\", \"processPath\": \"./run.sh\"}");
        onlyKnownKeys(key, application, APPLICATION_KEYS);

        JsonNode pathNode = present(application.get("path"));
        String pathExpected = "a path starting with '/' without '.' or '..' segments, '?', '#', '\\' or spaces, "
                + "such as \"/outproc\" or \"/\"";
        if (pathNode == null) {
            throw missing(key + ".path", pathExpected);
        }
        String path = pathNode.isTextual() ? mountPath(pathNode.textValue()) : null;
        if (path == null) {
            throw invalid(key + ".path", pathNode, pathExpected);
        }

        JsonNode nameNode = present(application.get("name"));
        String name;
        if (nameNode == null) {
            name = path.equals("/") ? "root" : path.substring(1).replace('/', '-');
        } else if (nameNode.isTextual() && !nameNode.textValue().isBlank()) {
            name = nameNode.textValue();
        } else {
            throw invalid(key + ".name", nameNode, STRING_EXPECTED);
        }
        String previousName = names.putIfAbsent(name.toLowerCase(Locale.ROOT), key);
        if (previousName != null) {
            throw nameNode == null
                    ? invalid(key + ".path", pathNode, "a path whose name (\"" + name + "\") no other application has ("
                            + previousName + " has it); or set name")
                    : invalid(key + ".name", nameNode, "a name no other application has (" + previousName
                            + " has it; names are compared ignoring case)");
        }

        JsonNode hostNode = present(application.get("host"));
        String host = null;
        if (hostNode != null) {
            host = hostNode.isTextual() ? hostNode.textValue().toLowerCase(Locale.ROOT) : null;
            if (host == null || !HOST.matcher(host).matches()) {
                throw invalid(key + ".host", hostNode, "a host name such as \"example.com\" or \"*.example.com\" "
                        + "(no scheme or port); leave host out to match any host");
            }
        }
        String mount = (host == null ? "*any*" : host) + " " + path.toLowerCase(Locale.ROOT);
        String previousMount = mounts.putIfAbsent(mount, key);
        if (previousMount != null) {
            throw invalid(key + ".path", pathNode, "a mount no other application has (" + previousMount
                    + " has this path on " + (host == null ? "any host" : "host " + host)
                    + "; paths are compared ignoring case)");
        }

        JsonNode directoryNode = present(application.get("directory"));
        Path directory = directoryNode == null ? folder : filePath(key + ".directory", directoryNode, folder);

        JsonNode modelNode = present(application.get("hostingModel"));
        HostingModel hostingModel = HostingModel.OUT_OF_PROCESS;
        if (modelNode != null) {
            String model = modelNode.isTextual() ? modelNode.textValue().strip().toLowerCase(Locale.ROOT) : "";
            hostingModel = switch (model) {
                case "outofprocess" -> HostingModel.OUT_OF_PROCESS;
                case "inprocess" -> HostingModel.IN_PROCESS;
                default -> throw invalid(key + ".hostingModel", modelNode, "outofprocess or inprocess");
            };
        }

        String processExpected = "the command that starts the application, such as \"java\" or \"./run.sh\"";
        JsonNode processNode = present(application.get("processPath"));
        if (processNode == null && hostingModel == HostingModel.OUT_OF_PROCESS) {
            throw missing(key + ".processPath", processExpected + " (required when hostingModel is outofprocess)");
        }
        if (processNode != null && !(processNode.isTextual() && !processNode.textValue().isBlank())) {
            throw invalid(key + ".processPath", processNode, processExpected);
        }
        String processPath = processNode == null ? null : processNode.textValue();

        List<String> arguments = arguments(key + ".arguments", present(application.get("arguments")));
        Map<String, String> variables = environmentVariables(key + ".environmentVariables",
                present(application.get("environmentVariables")));

        boolean stdoutLogEnabled = bool(key + ".stdoutLogEnabled", present(application.get("stdoutLogEnabled")));
        JsonNode logNode = present(application.get("stdoutLogFile"));
        Path stdoutLogFile = logNode == null
                ? directory.resolve("logs").resolve("stdout")
                : filePath(key + ".stdoutLogFile", logNode, directory);

        Duration startupTimeLimit = duration(key + ".startupTimeLimit", present(application.get("startupTimeLimit")),
                DEFAULT_STARTUP_TIME_LIMIT, false);
        Duration shutdownTimeLimit = duration(key + ".shutdownTimeLimit", present(application.get("shutdownTimeLimit")),
                DEFAULT_SHUTDOWN_TIME_LIMIT, true);
        int rapidFailsPerMinute = wholeNumber(key + ".rapidFailsPerMinute",
                present(application.get("rapidFailsPerMinute")), DEFAULT_RAPID_FAILS_PER_MINUTE, Integer.MAX_VALUE);
        Duration requestTimeout = duration(key + ".requestTimeout", present(application.get("requestTimeout")),
                DEFAULT_REQUEST_TIMEOUT, false);
        int processesPerApplication = wholeNumber(key + ".processesPerApplication",
                present(application.get("processesPerApplication")), DEFAULT_PROCESSES_PER_APPLICATION,
                MAX_PROCESSES_PER_APPLICATION);

        JsonNode jarNode = present(application.get("jar"));
        Path jar = jarNode == null ? null : filePath(key + ".jar", jarNode, directory);
        JsonNode mainClassNode = present(application.get("mainClass"));
        String mainClass = null;
        if (mainClassNode != null) {
            mainClass = mainClassNode.isTextual() ? mainClassNode.textValue().strip() : "";
            if (!JAVA_CLASS_NAME.matcher(mainClass).matches()) {
                throw invalid(key + ".mainClass", mainClassNode, "a fully qualified class name such as \"com.example.Main\"");
            }
        }
        boolean forwardClientCertificate = bool(key + ".forwardClientCertificate",
                present(application.get("forwardClientCertificate")));
        JsonNode aotCacheNode = present(application.get("aotCache"));
        boolean aotCache = aotCacheNode == null || bool(key + ".aotCache", aotCacheNode);
        List<Path> classPath = new ArrayList<>();
        JsonNode classPathNode = present(application.get("classPath"));
        if (classPathNode != null) {
            String expected = "an array of class path entries (folders or jars, the application's classes first)";
            if (!classPathNode.isArray() || classPathNode.isEmpty()) {
                throw invalid(key + ".classPath", classPathNode, expected);
            }
            for (int i = 0; i < classPathNode.size(); i++) {
                classPath.add(filePath(key + ".classPath[" + i + "]", classPathNode.get(i), directory));
            }
            if (jar != null) {
                throw invalid(key + ".classPath", classPathNode, "either jar or classPath, not both");
            }
            if (mainClass == null) {
                throw missing(key + ".mainClass", "the class whose main runs (required with classPath)");
            }
        }

        return new ApplicationEntry(name, path, host, directory, hostingModel, processPath, arguments, variables,
                stdoutLogEnabled, stdoutLogFile, startupTimeLimit, shutdownTimeLimit, rapidFailsPerMinute,
                requestTimeout, processesPerApplication, jar, mainClass, forwardClientCertificate, classPath, aotCache);
    }

    /** The normalized mount path ({@code //a/b/} gives {@code /a/b}), or {@code null} when it is not one. */
    static String mountPath(String text) {
        if (!text.startsWith("/")) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        for (String segment : text.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.equals(".") || segment.equals("..")
                    || segment.chars().anyMatch(c -> c == '?' || c == '#' || c == '\\' || Character.isWhitespace(c)
                            || Character.isISOControl(c))) {
                return null;
            }
            path.append('/').append(segment);
        }
        return path.isEmpty() ? "/" : path.toString();
    }

    private List<String> arguments(String key, JsonNode node) throws SiteFileException {
        if (node == null) {
            return List.of();
        }
        if (node.isTextual()) {
            try {
                return ShellArguments.split(node.textValue());
            } catch (IllegalArgumentException e) {
                throw invalid(key, node, "arguments split like a shell (" + e.getMessage() + ")");
            }
        }
        if (!node.isArray()) {
            throw invalid(key, node, "a string (split like a shell) or an array of strings");
        }
        List<String> arguments = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode argument = node.get(i);
            if (!argument.isTextual()) {
                throw invalid(key + "[" + i + "]", argument, "a string");
            }
            arguments.add(argument.textValue());
        }
        return arguments;
    }

    private Map<String, String> environmentVariables(String key, JsonNode node) throws SiteFileException {
        Map<String, String> variables = new LinkedHashMap<>();
        if (node == null) {
            return variables;
        }
        if (!node.isObject()) {
            throw invalid(key, node, "an object of variable names to values, such as {\"Hosting__RequestLog\": \"false\"}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new SiteFileException(file, key, file + ": " + key + " has the invalid name "
                        + display(JSON.getNodeFactory().textNode(name))
                        + "; expected names that are not empty and contain no '='", null);
            }
            JsonNode value = field.getValue();
            if (!(value.isTextual() || value.isNumber() || value.isBoolean())) {
                throw invalid(key + "." + name, value, "a string");
            }
            variables.put(name, value.asText());
        }
        return variables;
    }

    private boolean bool(String key, JsonNode node) throws SiteFileException {
        if (node == null) {
            return false;
        }
        if (!node.isBoolean()) {
            throw invalid(key, node, "true or false");
        }
        return node.booleanValue();
    }

    private int wholeNumber(String key, JsonNode node, int defaultValue, int max) throws SiteFileException {
        if (node == null) {
            return defaultValue;
        }
        if (node.isIntegralNumber() && node.canConvertToInt() && node.intValue() >= 1 && node.intValue() <= max) {
            return node.intValue();
        }
        throw invalid(key, node, max == Integer.MAX_VALUE
                ? "a whole number of at least 1" : "a whole number from 1 to " + max);
    }

    private Duration duration(String key, JsonNode node, Duration defaultValue, boolean zeroAllowed)
            throws SiteFileException {
        if (node == null) {
            return defaultValue;
        }
        Duration duration = SiteDurations.parse(node);
        if (duration == null || duration.isNegative() || (duration.isZero() && !zeroAllowed)) {
            throw invalid(key, node, (zeroAllowed ? "a duration of zero or more: " : "a duration greater than zero: ")
                    + DURATION_FORMATS);
        }
        return duration;
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** The node, or {@code null} when the key is missing or JSON {@code null}. */
    private static JsonNode present(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    private String optionalString(String key, JsonNode node) throws SiteFileException {
        JsonNode value = present(node);
        if (value == null) {
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw invalid(key, value, STRING_EXPECTED);
        }
        return value.textValue().strip();
    }

    private Path filePath(String key, JsonNode node, Path base) throws SiteFileException {
        if (node.isTextual() && !node.textValue().isBlank()) {
            try {
                return base.resolve(node.textValue()).normalize();
            } catch (InvalidPathException e) {
                // falls through to the error below
            }
        }
        throw invalid(key, node, FILE_PATH_EXPECTED);
    }

    private ObjectNode object(String key, JsonNode node, String expected) throws SiteFileException {
        if (node == null || !node.isObject()) {
            throw invalid(key, node == null ? JSON.getNodeFactory().nullNode() : node, expected);
        }
        return (ObjectNode) node;
    }

    private List<JsonNode> nonEmptyArray(String key, JsonNode node, String expected) throws SiteFileException {
        if (present(node) == null) {
            throw missing(key, expected);
        }
        if (!node.isArray() || node.isEmpty()) {
            throw invalid(key, node, expected);
        }
        List<JsonNode> items = new ArrayList<>();
        node.forEach(items::add);
        return items;
    }

    private void onlyKnownKeys(String key, ObjectNode node, List<String> allowed) throws SiteFileException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                String full = key.isEmpty() ? name : key + "." + name;
                throw new SiteFileException(file, full, file + ": " + full + " is not a known key; expected one of "
                        + String.join(", ", allowed) + " (keys are case-sensitive)", null);
            }
        }
    }

    private SiteFileException missing(String key, String expected) {
        return new SiteFileException(file, key, file + ": " + key + " is missing; expected " + expected, null);
    }

    private SiteFileException invalid(String key, JsonNode value, String expected) {
        return new SiteFileException(file, key, file + ": " + key + " has the invalid value " + display(value)
                + "; expected " + expected, null);
    }

    /** The value as JSON, shortened for a one-line message. */
    private static String display(JsonNode value) {
        String text = value.toString();
        return text.length() <= MAX_VALUE_DISPLAY_LENGTH ? text : text.substring(0, MAX_VALUE_DISPLAY_LENGTH) + "...";
    }
}
