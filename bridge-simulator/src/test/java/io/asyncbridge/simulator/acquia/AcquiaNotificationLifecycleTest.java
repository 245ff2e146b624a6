package io.asyncbridge.simulator.acquia;

import com.fasterxml.jackson.databind.JsonNode;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.TestHttp;
import io.asyncbridge.simulator.UpstreamSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AcquiaNotificationLifecycleTest {

    private UpstreamSimulator simulator;
    private TestHttp http;
    private String token;

    @BeforeEach
    void start() {
        simulator = UpstreamSimulator.start(SimulatorConfig.builder().taskDuration(Duration.ofMillis(1500)).build());
        http = new TestHttp(simulator);
        token = http.token();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void createAnswers202WithTheSeedShape() {
        HttpResponse<String> response = http.send(http.createDatabase(token, null).build());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = TestHttp.json(response);
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.at("/_links/self/href").asText())
                .isEqualTo(simulator.baseUrl() + "/api/applications/8ff6c7d6-0000-4444-aaaa-111111111111/databases");
        assertThat(body.at("/_links/notification/href").asText())
                .matches(simulator.baseUrl().replace(".", "\\.") + "/api/notifications/[0-9a-f-]{36}");
        assertThat(simulator.stats().acquiaCreateCalls()).isEqualTo(1);
        assertThat(simulator.stats().createCalls("success")).isEqualTo(1);
    }

    @Test
    void notificationRunsWithRisingProgressUntilCompleted() {
        String href = notificationHref(null);
        List<JsonNode> seen = new ArrayList<>();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode notification = TestHttp.json(http.get(href, token));
            seen.add(notification);
            return notification.get("status").asText().equals("completed");
        });

        JsonNode last = seen.get(seen.size() - 1);
        assertThat(last.get("progress").asInt()).isEqualTo(100);
        assertThat(last.get("completed_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00");
        assertThat(last.get("uuid").asText()).isEqualTo(href.substring(href.lastIndexOf('/') + 1));
        assertThat(last.get("event").asText()).isEqualTo("DatabaseCreated");
        assertThat(last.at("/context/author/uuid").asText()).isNotBlank();
        assertThat(last.at("/_links/self/href").asText()).isEqualTo(href);
        assertThat(last.at("/_links/parent/href").asText()).isEqualTo(simulator.baseUrl() + "/api/notifications");
        List<Integer> progress = seen.stream().map(n -> n.get("progress").asInt()).toList();
        assertThat(progress).isSorted();
        assertThat(progress.get(0)).isBetween(1, 20);
        assertThat(progress.stream().distinct().count()).isGreaterThan(3);
        List<String> running = seen.subList(0, seen.size() - 1).stream().map(n -> n.get("status").asText()).toList();
        // "started" shows only in the first moments, which a poll on a loaded machine may miss; both spellings of
        // the running word alternate for the whole run.
        assertThat(running).contains("in-progress", "in_progress").isSubsetOf(Set.of("started", "in-progress", "in_progress"));
        assertThat(seen.get(0).get("completed_at").isNull()).isTrue();
        assertThat(simulator.stats().polls(last.get("uuid").asText())).isEqualTo(seen.size());
    }

    @Test
    void succeededWordScenarioEndsWithSucceeded() {
        assertThat(finalStatus(notificationHref("succeeded-word,duration=200"))).isEqualTo("succeeded");
    }

    @Test
    void failScenarioEndsWithFailed() {
        assertThat(finalStatus(notificationHref("fail,duration=200"))).isEqualTo("failed");
    }

    @Test
    void neverScenarioKeepsRunning() {
        String href = notificationHref("never,duration=200");

        // well past its nominal 200 ms, it still runs
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> TestHttp.json(http.get(href, token)).get("progress").asInt() < 100);

        JsonNode notification = TestHttp.json(http.get(href, token));
        assertThat(notification.get("status").asText()).isIn("in-progress", "in_progress");
        assertThat(notification.get("progress").asInt()).isLessThan(100);
        assertThat(notification.get("completed_at").isNull()).isTrue();
    }

    @Test
    void unknownWordScenarioShowsAnUnknownStatusFirst() {
        String href = notificationHref("unknown-word,duration=1000");

        JsonNode first = TestHttp.json(http.get(href, token));

        assertThat(first.get("status").asText()).isEqualTo("queued");
        assertThat(finalStatus(href)).isEqualTo("completed");
    }

    private String notificationHref(String scenario) {
        HttpResponse<String> response = http.send(http.createDatabase(token, scenario).build());
        assertThat(response.statusCode()).isEqualTo(202);
        return TestHttp.json(response).at("/_links/notification/href").asText();
    }

    private String finalStatus(String href) {
        String[] status = new String[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode notification = TestHttp.json(http.get(href, token));
            status[0] = notification.get("status").asText();
            return notification.get("progress").asInt() == 100;
        });
        return status[0];
    }
}
