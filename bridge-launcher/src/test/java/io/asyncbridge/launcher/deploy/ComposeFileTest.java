package io.asyncbridge.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.config.ManagementSettings;
import io.asyncbridge.launcher.run.ServiceCatalog;
import io.asyncbridge.schemas.task.TaskMode;
import io.asyncbridge.schemas.topic.TopicNames;
import io.asyncbridge.simulator.config.SimulatorConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * There is no Docker engine here, so docker-compose.yml is checked against the code instead of run: it parses,
 * its Kafka image is the Kafka version the bridge is built with, every service runs a main class that exists,
 * the configuration it mounts loads with the environment it passes, and ports, hosts, topics and credentials agree.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static JsonNode services;

    @BeforeAll
    static void parse() throws Exception {
        // SnakeYAML, not Jackson's YAML reader: compose files use anchors and merge keys (<<: *bridge).
        Object compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = new ObjectMapper().valueToTree(compose).path("services");
    }

    private static Map<String, String> environment(String service) {
        Map<String, String> env = new HashMap<>();
        services.path(service).path("environment").fields()
                .forEachRemaining(entry -> env.put(entry.getKey(), entry.getValue().asText()));
        return env;
    }

    private static BridgeConfig bridgeConfig(String service) throws Exception {
        String mount = services.path(service).path("volumes").get(0).asText();
        Path file = ROOT.resolve(mount.substring(0, mount.indexOf(':')));
        assertThat(mount).endsWith(":" + environment(service).get("BRIDGE_CONFIG") + ":ro");
        return new BridgeConfigLoader(environment(service)).load(file);
    }

    @Test
    void kafkaIsTheVersionTheBridgeIsBuiltWith() {
        assertThat(services.path("kafka").path("image").asText()).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText())
                .isEqualTo("broker,controller");
    }

    @Test
    void everyServiceRunsAMainClassThatExists() throws Exception {
        for (String name : List.of("simulator", "bridge-ingest", "bridge-poller", "bridge-callbacks", "demo-client")) {
            String mainClass = services.path(name).path("command").get(0).asText();
            Method main = Class.forName(mainClass).getMethod("main", String[].class);
            assertThat(Modifier.isStatic(main.getModifiers())).as(name).isTrue();
        }
        assertThat(List.of("bridge-ingest", "bridge-poller", "bridge-callbacks"))
                .allSatisfy(name -> assertThat(services.has(name)).isTrue())
                .extracting(name -> name.substring("bridge-".length()))
                .containsExactlyElementsOf(ServiceCatalog.names());
    }

    @Test
    void theMountedConfigLoadsAndPointsAtTheComposeHosts() throws Exception {
        BridgeConfig config = bridgeConfig("bridge-ingest");

        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.providers()).containsOnlyKeys("acquia", "documents");
        String simulator = "http://simulator:" + environment("simulator").get("SIMULATOR_PORT");
        assertThat(environment("simulator").get("SIMULATOR_PUBLIC_BASE_URL")).isEqualTo(simulator);
        assertThat(config.provider("acquia").orElseThrow().baseUrl()).isEqualTo(URI.create(simulator + "/api"));
        assertThat(config.provider("documents").orElseThrow().baseUrl())
                .isEqualTo(URI.create(simulator + "/elements/api-v2"));
        assertThat(config.hasMode(TaskMode.POLL) && config.hasMode(TaskMode.CALLBACK)).isTrue();

        URI callbacks = config.callbacks().publicBaseUrl().orElseThrow();
        assertThat(callbacks.getHost()).as("the service's name, which reaches any of its replicas")
                .isEqualTo("bridge-callbacks");
        assertThat(callbacks.getPort()).isEqualTo(config.callbacks().port());
        assertThat(services.path("bridge-callbacks").path("ports").get(0).asText())
                .endsWith(":" + config.callbacks().port());
        assertThat(config.callbacks().tokenSecret()).as("set explicitly through the environment").isPresent();
    }

    @Test
    void everyServicePublishesItsManagementPortOnItsOwnHostPort() throws Exception {
        List<String> hostPorts = new java.util.ArrayList<>();
        for (String name : List.of("bridge-ingest", "bridge-poller", "bridge-callbacks")) {
            ManagementSettings management = bridgeConfig(name).management();
            assertThat(management.enabled()).as(name).isTrue();
            assertThat(management.host()).as("%s listens beyond its container", name).isEqualTo("0.0.0.0");
            List<String> published = new java.util.ArrayList<>();
            services.path(name).path("ports").forEach(port -> published.add(port.asText()));
            String mapping = published.stream().filter(port -> port.endsWith(":" + management.port())).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " does not publish management port "
                            + management.port() + ": " + published));
            hostPorts.add(mapping.substring(0, mapping.indexOf(':')));
        }
        assertThat(hostPorts).doesNotHaveDuplicates();
        assertThat(Files.readString(ROOT.resolve("Dockerfile"))).containsPattern("EXPOSE .*\\b"
                + bridgeConfig("bridge-ingest").management().port() + "\\b");
    }

    /** {@code docker compose up --scale bridge-poller=3} must not clash: no fixed host port, name or hostname. */
    @Test
    void everyBridgeServiceCanBeScaledOut() {
        for (String name : List.of("bridge-ingest", "bridge-poller", "bridge-callbacks")) {
            JsonNode service = services.path(name);
            assertThat(service.has("container_name")).as("%s has a fixed container name", name).isFalse();
            assertThat(service.has("hostname")).as("%s has a fixed hostname", name).isFalse();
            service.path("ports").forEach(port -> {
                String host = port.asText().substring(0, port.asText().lastIndexOf(':'));
                assertThat(host).as("%s publishes %s: a range of host ports, one per replica", name, port.asText())
                        .matches("\\d+-\\d+");
                String[] range = host.split("-");
                assertThat(Integer.parseInt(range[1]) - Integer.parseInt(range[0])).as(name).isGreaterThanOrEqualTo(2);
            });
            assertThat(environment(name)).as("%s would share one static member id among replicas", name)
                    .doesNotContainKey("BRIDGE_KAFKA_INSTANCE_ID");
        }
    }

    @Test
    void topicsAreTheContractDefaults() throws Exception {
        assertThat(bridgeConfig("bridge-poller").topics().all()).isEqualTo(TopicNames.defaults().all());
        assertThat(bridgeConfig("bridge-callbacks").topics()).isEqualTo(bridgeConfig("bridge-ingest").topics());
    }

    @Test
    void theBridgeUsesTheSimulatorsCredentials() {
        Map<String, String> env = environment("bridge-ingest");
        assertThat(env.get("ACQUIA_CLIENT_ID")).isEqualTo(SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID);
        assertThat(env.get("ACQUIA_CLIENT_SECRET")).isEqualTo(SimulatorConfig.DEFAULT_ACQUIA_CLIENT_SECRET);
        assertThat(env.get("CE_AUTHORIZATION")).isEqualTo(SimulatorConfig.DEFAULT_ELEMENTS_AUTHORIZATION);
        assertThat(env.get("CE_SIGNATURE_KEY")).isEqualTo(SimulatorConfig.DEFAULT_ELEMENTS_SIGNATURE_KEY);
    }

    @Test
    void theImageContainsTheJarTheServicesRun() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains("bridge-launcher/target/bridge.jar /app/bridge.jar")
                .contains("\"-cp\", \"/app/bridge.jar\"");
        assertThat(services.path("bridge-ingest").path("build").asText()).isEqualTo(".");
    }
}
