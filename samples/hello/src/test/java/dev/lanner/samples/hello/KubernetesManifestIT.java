package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lanner.hosting.HealthOptions;
import dev.lanner.samples.hello.DeploymentProcesses.Child;
import dev.lanner.samples.hello.DeploymentProcesses.StopSettings;
import dev.lanner.samples.hello.DockerfileIT.Dockerfile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves that deploy/kubernetes/hello.yaml fits the image and the code: the container's {@code http} port
 * is the one the Dockerfile exposes, the readiness and liveness probes ask the code's default paths on that
 * port, the grace period covers the drain delay plus the shutdown timeout in effect, the Deployment's,
 * pod template's and Service's labels agree, the Service targets the container port and the Ingress the
 * Service; and that the container's environment (the Dockerfile's ENV plus the manifest's env) is accepted
 * by the application, which then answers both probe paths with 200.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KubernetesManifestIT {

    private JsonNode deployment;
    private JsonNode service;
    private JsonNode ingress;
    private Dockerfile dockerfile;
    private Child child;

    @BeforeEach
    void readManifests() throws IOException {
        Path manifest = DeploymentProcesses.repositoryRoot().resolve("deploy/kubernetes/hello.yaml");
        Map<String, JsonNode> byKind = new LinkedHashMap<>();
        try (MappingIterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class).readValues(manifest.toFile())) {
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                if (document == null || document.isNull() || document.isMissingNode()) {
                    continue;
                }
                String kind = document.path("kind").asText();
                assertThat(byKind.put(kind, document)).as("one %s in %s", kind, manifest).isNull();
            }
        }
        assertThat(byKind.keySet()).as("kinds in %s", manifest).containsExactlyInAnyOrder("Deployment", "Service", "Ingress");
        deployment = byKind.get("Deployment");
        service = byKind.get("Service");
        ingress = byKind.get("Ingress");
        dockerfile = Dockerfile.read(DeploymentProcesses.sampleDirectory().resolve("Dockerfile"));
    }

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void containerPortIsTheImagesExposedPort() {
        assertThat(containerPort("http")).isEqualTo(Integer.parseInt(dockerfile.single("EXPOSE")));
    }

    @Test
    void probesAskTheCodesHealthPathsOnTheHttpPort() {
        HealthOptions defaults = HealthOptions.defaults();
        JsonNode readiness = container().path("readinessProbe").path("httpGet");
        JsonNode liveness = container().path("livenessProbe").path("httpGet");
        assertThat(readiness.path("path").asText()).as("readinessProbe path").isEqualTo(defaults.readinessPath());
        assertThat(liveness.path("path").asText()).as("livenessProbe path").isEqualTo(defaults.livenessPath());
        assertThat(resolvePort(readiness.path("port"))).as("readinessProbe port").isEqualTo(containerPort("http"));
        assertThat(resolvePort(liveness.path("port"))).as("livenessProbe port").isEqualTo(containerPort("http"));
    }

    @Test
    void gracePeriodCoversTheDrainDelayAndTheShutdownTimeout() {
        JsonNode grace = podSpec().path("terminationGracePeriodSeconds");
        assertThat(grace.isIntegralNumber()).as("terminationGracePeriodSeconds is set: %s", grace).isTrue();
        StopSettings settings = DeploymentProcesses.stopSettings(containerEnvironment(), List.of());
        assertThat(settings.healthEnabled()).as("Health:Enabled in effect in the container (the probes need it)").isTrue();
        assertThat(Duration.ofSeconds(grace.asLong()))
                .as("terminationGracePeriodSeconds must cover Health:DrainDelay (%s) + Hosting:ShutdownTimeout (%s)",
                        settings.drainDelay(), settings.shutdownTimeout())
                .isGreaterThanOrEqualTo(settings.total());
    }

    @Test
    void selectorsMatchThePodLabels() {
        Map<String, String> podLabels = strings(podTemplate().path("metadata").path("labels"));
        Map<String, String> deploymentSelector = strings(deployment.path("spec").path("selector").path("matchLabels"));
        Map<String, String> serviceSelector = strings(service.path("spec").path("selector"));
        assertThat(deploymentSelector).as("Deployment selector").isNotEmpty();
        assertThat(podLabels).as("pod template labels").containsAllEntriesOf(deploymentSelector);
        assertThat(serviceSelector).as("Service selector").isNotEmpty();
        assertThat(podLabels).as("pod template labels").containsAllEntriesOf(serviceSelector);
    }

    @Test
    void serviceTargetsTheContainerPortAndTheIngressTheService() {
        JsonNode ports = service.path("spec").path("ports");
        assertThat(ports.isArray() && !ports.isEmpty()).as("Service ports").isTrue();
        for (JsonNode port : ports) {
            JsonNode targetPort = port.has("targetPort") ? port.path("targetPort") : port.path("port");
            assertThat(resolvePort(targetPort)).as("Service port %s targetPort", port).isEqualTo(containerPort("http"));
        }

        List<JsonNode> backends = new ArrayList<>();
        for (JsonNode rule : ingress.path("spec").path("rules")) {
            for (JsonNode path : rule.path("http").path("paths")) {
                backends.add(path.path("backend").path("service"));
            }
        }
        if (ingress.path("spec").has("defaultBackend")) {
            backends.add(ingress.path("spec").path("defaultBackend").path("service"));
        }
        assertThat(backends).as("Ingress backends").isNotEmpty().allSatisfy(backend -> {
            assertThat(backend.path("name").asText()).as("backend service name").isEqualTo(service.path("metadata").path("name").asText());
            JsonNode port = backend.path("port");
            assertThat(ports).as("Service ports for backend port %s", port).anySatisfy(servicePort -> {
                if (port.has("name")) {
                    assertThat(servicePort.path("name").asText()).isEqualTo(port.path("name").asText());
                } else {
                    assertThat(servicePort.path("port").asInt()).isEqualTo(port.path("number").asInt());
                }
            });
        });
    }

    @Test
    void containerEnvironmentSetsOnlyKeysTheCodeReads() {
        DeploymentProcesses.assertKnownKeys(containerEnvironment(), List.of());
    }

    @Test
    void theContainerEnvironmentStartsTheApplicationAndTheProbesAnswer() throws Exception {
        Path target = DeploymentProcesses.sampleTarget();
        int port = DeploymentProcesses.freePort();
        Map<String, String> env = DockerfileIT.runEnvironment(containerEnvironment(), port);
        // Only to keep the test short: no drain delay after SIGTERM.
        env.put("LANNER_HEALTH__DRAINDELAY", "0");

        child = DeploymentProcesses.start("kubernetes", DockerfileIT.command(dockerfile, target), env,
                DockerfileIT.workingDirectory(dockerfile, target));
        String readiness = container().path("readinessProbe").path("httpGet").path("path").asText();
        String liveness = container().path("livenessProbe").path("httpGet").path("path").asText();
        child.awaitResponse(port, readiness, "200 Ready", Duration.ofSeconds(30));
        assertThat(DeploymentProcesses.get(port, liveness)).isEqualTo("200 Healthy");

        child.terminate();
        child.awaitExit(Duration.ofSeconds(30));
    }

    /** The Dockerfile's ENV, overlaid by the container's env in the manifest (as Kubernetes does). */
    private Map<String, String> containerEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(dockerfile.env());
        for (JsonNode variable : container().path("env")) {
            assertThat(variable.has("value")).as("env %s has a literal value (this test cannot resolve valueFrom)", variable).isTrue();
            env.put(variable.path("name").asText(), variable.path("value").asText());
        }
        return env;
    }

    private JsonNode podTemplate() {
        return deployment.path("spec").path("template");
    }

    private JsonNode podSpec() {
        return podTemplate().path("spec");
    }

    private JsonNode container() {
        JsonNode containers = podSpec().path("containers");
        assertThat(containers.size()).as("containers in the pod template").isEqualTo(1);
        return containers.get(0);
    }

    private int containerPort(String name) {
        for (JsonNode port : container().path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.path("containerPort").asInt();
            }
        }
        fail("The container has no port named " + name + ": " + container().path("ports"));
        return -1;
    }

    /** A port number, or a container port's name. */
    private int resolvePort(JsonNode port) {
        if (port.isIntegralNumber()) {
            return port.asInt();
        }
        assertThat(port.isTextual()).as("port %s", port).isTrue();
        return containerPort(port.asText());
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> map.put(field.getKey(), field.getValue().asText()));
        return map;
    }
}
