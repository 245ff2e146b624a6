package io.asyncbridge.launcher.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.launcher.run.ServiceCatalog;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * There is no cluster here, so {@code deploy/kubernetes} is checked against the code instead of applied: one
 * StatefulSet per service behind a headless Service, probes on the health endpoints the code serves, a
 * PodDisruptionBudget each, the ConfigMap's configuration loading with the environment the pods get, secrets only
 * as Secret references, Prometheus scrape annotations on the port that serves {@code /metrics}, and each pod's name
 * as its static group member id.
 */
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("..").toAbsolutePath().normalize().resolve("deploy/kubernetes");
    private static final List<String> SERVICES = ServiceCatalog.names();
    private static final Map<String, String> MAINS = Map.of("ingest", "io.asyncbridge.ingest.IngestApplication",
            "poller", "io.asyncbridge.poller.PollerApplication",
            "callbacks", "io.asyncbridge.callbacks.CallbacksApplication");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<JsonNode> RESOURCES = new ArrayList<>();

    @BeforeAll
    static void parse() throws Exception {
        JsonNode kustomization = JSON.valueToTree(new Yaml().load(Files.readString(DIR.resolve("kustomization.yaml"))));
        for (JsonNode file : kustomization.path("resources")) {
            for (Object document : new Yaml().loadAll(Files.readString(DIR.resolve(file.asText())))) {
                if (document != null) {
                    RESOURCES.add(JSON.valueToTree(document));
                }
            }
        }
    }

    private static List<JsonNode> ofKind(String kind) {
        return RESOURCES.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
    }

    private static JsonNode named(String kind, String name) {
        return ofKind(kind).stream().filter(r -> r.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static JsonNode container(String service) {
        JsonNode containers = named("StatefulSet", "bridge-" + service).at("/spec/template/spec/containers");
        assertThat(containers.size()).as("bridge-%s runs one container", service).isEqualTo(1);
        return containers.get(0);
    }

    /** What a pod's environment would hold: literal values, a placeholder per Secret reference and field. */
    private static Map<String, String> environment(String service) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode variable : container(service).path("env")) {
            String name = variable.path("name").asText();
            if (variable.has("value")) {
                env.put(name, variable.path("value").asText().replace("$(POD_NAME)", "bridge-" + service + "-0"));
            } else if (variable.at("/valueFrom/secretKeyRef").isObject()) {
                env.put(name, "secret-from-" + variable.at("/valueFrom/secretKeyRef/key").asText() + "-0123456789");
            } else if (variable.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.name")) {
                env.put(name, "bridge-" + service + "-0");
            }
        }
        return env;
    }

    private static BridgeConfig config(String service) throws Exception {
        Map<String, String> env = environment(service);
        String mounted = env.get("BRIDGE_CONFIG");
        JsonNode mount = null;
        for (JsonNode candidate : container(service).path("volumeMounts")) {
            if (mounted.startsWith(candidate.path("mountPath").asText() + "/")) {
                mount = candidate;
            }
        }
        assertThat(mount).as("%s mounts a volume at %s", service, mounted).isNotNull();
        String volume = mount.path("name").asText();
        JsonNode source = null;
        for (JsonNode candidate : named("StatefulSet", "bridge-" + service).at("/spec/template/spec/volumes")) {
            if (candidate.path("name").asText().equals(volume)) {
                source = candidate;
            }
        }
        assertThat(source).isNotNull();
        JsonNode configMap = named("ConfigMap", source.at("/configMap/name").asText());
        String file = mounted.substring(mounted.lastIndexOf('/') + 1);
        return new BridgeConfigLoader(env).parse(file, configMap.path("data").path(file).asText());
    }

    @Test
    void eachServiceIsOneStatefulSetBehindAHeadlessServiceRunningItsMain() throws Exception {
        assertThat(ofKind("StatefulSet")).extracting(r -> r.at("/metadata/name").asText())
                .containsExactlyInAnyOrderElementsOf(SERVICES.stream().map(s -> "bridge-" + s).toList());
        for (String service : SERVICES) {
            JsonNode set = named("StatefulSet", "bridge-" + service);
            JsonNode headless = named("Service", set.at("/spec/serviceName").asText());
            assertThat(headless.at("/spec/clusterIP").asText()).as(service).isEqualTo("None");
            JsonNode labels = set.at("/spec/template/metadata/labels");
            assertThat(selects(set.at("/spec/selector/matchLabels"), labels)).as(service).isTrue();
            assertThat(selects(headless.at("/spec/selector"), labels)).as(service).isTrue();
            assertThat(set.at("/spec/replicas").asInt()).as("%s runs more than one pod", service).isGreaterThan(1);
            String main = container(service).path("args").get(0).asText();
            assertThat(main).isEqualTo(MAINS.get(service));
            Method method = Class.forName(main).getMethod("main", String[].class);
            assertThat(Modifier.isStatic(method.getModifiers())).isTrue();
        }
    }

    @Test
    void probesAndScrapingUseTheManagementPortTheConfigurationSets() throws Exception {
        for (String service : SERVICES) {
            int port = config(service).management().port();
            JsonNode container = container(service);
            Map<String, Integer> ports = new HashMap<>();
            container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
            assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/health/live");
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                assertThat(ports.get(container.at("/" + probe + "/httpGet/port").asText())).as("%s %s", service, probe)
                        .isEqualTo(port);
            }
            JsonNode annotations = named("StatefulSet", "bridge-" + service).at("/spec/template/metadata/annotations");
            assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
            assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(Integer.toString(port));
            assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
        }
    }

    @Test
    void eachWorkloadHasADisruptionBudgetThatKeepsTheOthersRunning() {
        for (String service : SERVICES) {
            JsonNode budget = named("PodDisruptionBudget", "bridge-" + service);
            JsonNode labels = named("StatefulSet", "bridge-" + service).at("/spec/template/metadata/labels");
            assertThat(selects(budget.at("/spec/selector/matchLabels"), labels)).as(service).isTrue();
            assertThat(budget.at("/spec/maxUnavailable").asInt()).as(service).isEqualTo(1);
        }
    }

    @Test
    void theConfigMapLoadsWithThePodsEnvironmentAndEachPodIsItsOwnStaticMember() throws Exception {
        for (String service : SERVICES) {
            BridgeConfig config = config(service);
            assertThat(config.kafka().instanceId()).as(service).contains("bridge-" + service + "-0");
            assertThat(config.management().advertisedHost()).contains("bridge-" + service + "-0.bridge-" + service);
            assertThat(config.management().peers()).hasSize(2)
                    .noneMatch(peer -> peer.startsWith("bridge-" + service + ":"));
            assertThat(config.callbacks().tokenSecret()).isPresent();
            assertThat(config.management().authToken()).isPresent();
            Map<String, String> env = environment(service);
            Path stateDir = Path.of(env.get("BRIDGE_STATE_DIR"));
            assertThat(container(service).path("volumeMounts").findValuesAsText("mountPath"))
                    .contains(stateDir.toString());
            assertThat(named("StatefulSet", "bridge-" + service).at("/spec/volumeClaimTemplates/0/metadata/name")
                    .asText()).isEqualTo("state");
            assertThat(named("StatefulSet", "bridge-" + service).at("/spec/template/spec/terminationGracePeriodSeconds")
                    .asInt()).as("room for the drain and Kafka Streams' 30 s close").isGreaterThanOrEqualTo(60);
        }
    }

    @Test
    void secretsAreOnlyReferencedNeverWrittenDown() throws Exception {
        assertThat(ofKind("Secret")).as("no Secret with values in the repository").isEmpty();
        Set<String> secretVariables = new TreeSet<>();
        for (String service : SERVICES) {
            for (JsonNode variable : container(service).path("env")) {
                String name = variable.path("name").asText();
                if (name.matches(".*(SECRET|TOKEN|AUTHORIZATION|KEY|PASSWORD).*")) {
                    assertThat(variable.at("/valueFrom/secretKeyRef/name").asText()).as("%s %s", service, name)
                            .isEqualTo("async-bridge-secrets");
                    secretVariables.add(name);
                }
            }
        }
        assertThat(secretVariables).contains("ACQUIA_CLIENT_SECRET", "CE_SIGNATURE_KEY", "CALLBACKS_TOKEN_SECRET");
        String config = named("ConfigMap", "async-bridge-config").at("/data/bridge.yaml").asText();
        assertThat(config).contains("${ACQUIA_CLIENT_SECRET}", "${CALLBACKS_TOKEN_SECRET}");
    }

    @Test
    void webhooksReachAnyCallbacksPodOnTheConfiguredPort() throws Exception {
        int port = config("callbacks").callbacks().port();
        JsonNode webhooks = named("Service", "bridge-callbacks-webhooks");
        JsonNode labels = named("StatefulSet", "bridge-callbacks").at("/spec/template/metadata/labels");
        assertThat(selects(webhooks.at("/spec/selector"), labels)).isTrue();
        assertThat(webhooks.at("/spec/ports/0/port").asInt()).isEqualTo(port);
        String target = webhooks.at("/spec/ports/0/targetPort").asText();
        assertThat(container("callbacks").path("ports").findValues("name").stream().map(JsonNode::asText))
                .contains(target);
        container("callbacks").path("ports").forEach(p -> {
            if (p.path("name").asText().equals(target)) {
                assertThat(p.path("containerPort").asInt()).isEqualTo(port);
            }
        });
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        if (!selector.isObject() || selector.isEmpty()) {
            return false;
        }
        List<Boolean> matches = new ArrayList<>();
        selector.fields().forEachRemaining(e -> matches.add(e.getValue().asText().equals(labels.path(e.getKey()).asText())));
        return !matches.contains(false);
    }
}
