package io.asyncbridge.simulator.acquia;

import com.fasterxml.jackson.databind.JsonNode;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.TestHttp;
import io.asyncbridge.simulator.UpstreamSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class AcquiaScenarioTest {

    private UpstreamSimulator simulator;
    private TestHttp http;
    private String token;

    @BeforeEach
    void start() {
        simulator = UpstreamSimulator.start(SimulatorConfig.builder().taskDuration(Duration.ofMillis(300)).build());
        http = new TestHttp(simulator);
        token = http.token();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void aRepeatedIdempotencyKeyGetsTheFirstJobAndStartsNoSecond() {
        HttpResponse<String> first = http.send(http.createDatabase(token, null).header("Idempotency-Key", "k-1").build());
        HttpResponse<String> again = http.send(http.createDatabase(token, null).header("Idempotency-Key", "k-1").build());
        HttpResponse<String> otherKey = http.send(http.createDatabase(token, null).header("Idempotency-Key", "k-2").build());
        HttpResponse<String> noKey = http.send(http.createDatabase(token, null).build());

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(href(again)).isEqualTo(href(first));
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(href(otherKey)).isNotEqualTo(href(first));
        assertThat(href(noKey)).isNotEqualTo(href(first)).isNotEqualTo(href(otherKey));
        assertThat(simulator.stats().idempotentReplays()).isEqualTo(1);
        assertThat(simulator.stats().acquiaCreateCalls()).isEqualTo(4);
    }

    @Test
    void aRefusedCallIsNotRememberedUnderItsKey() {
        HttpResponse<String> throttled = http.send(http.createDatabase(token, "create429=1")
                .header("Idempotency-Key", "k-3").build());
        HttpResponse<String> retried = http.send(http.createDatabase(token, "create429=1")
                .header("Idempotency-Key", "k-3").build());

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(retried.statusCode()).isEqualTo(202);
        assertThat(simulator.stats().idempotentReplays()).isZero();
    }

    @Test
    void lag404AnswersNotFoundUntilTheLagIsOver() {
        String href = href(http.send(http.createDatabase(token, "lag404=700").build()));

        HttpResponse<String> early = http.get(href, token);

        assertThat(early.statusCode()).isEqualTo(404);
        assertThat(TestHttp.json(early).get("error").asText()).isEqualTo("not_found");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get(href, token).statusCode() == 200);
    }

    @Test
    void poll429ThrottlesTheFirstPollsWithRetryAfter() {
        String href = href(http.send(http.createDatabase(token, "poll429=2").build()));

        List<HttpResponse<String>> polls = List.of(http.get(href, token), http.get(href, token), http.get(href, token));

        assertThat(polls.get(0).statusCode()).isEqualTo(429);
        assertThat(polls.get(0).headers().firstValue("Retry-After")).hasValue("1");
        assertThat(polls.get(1).statusCode()).isEqualTo(429);
        assertThat(polls.get(2).statusCode()).isEqualTo(200);
        assertThat(simulator.stats().polls(uuid(href))).isEqualTo(3);
    }

    @Test
    void poll5xxFailsTheFirstPollsWith503() {
        String href = href(http.send(http.createDatabase(token, "poll5xx=1").build()));

        assertThat(http.get(href, token).statusCode()).isEqualTo(503);
        assertThat(http.get(href, token).statusCode()).isEqualTo(200);
    }

    @Test
    void create429And5xxFailTheFirstAttemptsOfTheSameRequest() {
        HttpRequest request = http.createDatabase(token, "create429=1,create5xx=2")
                .header("X-Simulator-Request-Id", "req-1").build();

        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> first = http.send(request);
        statuses.add(first.statusCode());
        for (int i = 0; i < 3; i++) {
            statuses.add(http.send(request).statusCode());
        }

        assertThat(statuses).containsExactly(429, 503, 503, 202);
        assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
        // another request (other id) starts its own count
        assertThat(http.send(http.createDatabase(token, "create429=1").header("X-Simulator-Request-Id", "req-2")
                .build()).statusCode()).isEqualTo(429);
        assertThat(simulator.stats().createCalls("create429=1,create5xx=2")).isEqualTo(4);
    }

    @Test
    void createRetriesWithoutRequestIdAreRecognizedByTheirBody() {
        assertThat(http.send(http.createDatabase(token, "create5xx=1").build()).statusCode()).isEqualTo(503);
        assertThat(http.send(http.createDatabase(token, "create5xx=1").build()).statusCode()).isEqualTo(202);
    }

    @Test
    void rejectAnswers422WithAJsonError() {
        HttpResponse<String> response = http.send(http.createDatabase(token, "reject").build());

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(TestHttp.json(response).get("error").asText()).isEqualTo("validation_failed");
        assertThat(TestHttp.json(response).get("message").asText()).isNotBlank();
    }

    @Test
    void slowDelaysTheAnswer() {
        long started = System.nanoTime();

        HttpResponse<String> response = http.send(http.createDatabase(token, "slow=400").build());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void resetClosesTheConnectionWithoutAnswer() {
        assertThatThrownBy(() -> http.client().send(http.createDatabase(token, "reset").build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThat(simulator.stats().createCalls("reset")).isEqualTo(1);
    }

    @Test
    void countedResetLetsALaterAttemptThrough() throws Exception {
        HttpRequest request = http.createDatabase(token, "reset=1").header("X-Simulator-Request-Id", "r").build();

        assertThatThrownBy(() -> http.client().send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(http.client().send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
    }

    @Test
    void hangNeverAnswers() {
        HttpRequest request = http.createDatabase(token, "hang").timeout(Duration.ofMillis(500)).build();

        assertThatThrownBy(() -> http.client().send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void badLinkPointsAtTheMetadataService() {
        JsonNode body = TestHttp.json(http.send(http.createDatabase(token, "bad-link").build()));

        assertThat(body.at("/_links/notification/href").asText()).startsWith("http://169.254.169.254/");
    }

    @Test
    void noLinkOmitsTheNotificationLink() {
        JsonNode body = TestHttp.json(http.send(http.createDatabase(token, "no-link").build()));

        assertThat(body.at("/_links/self/href").asText()).isNotBlank();
        assertThat(body.at("/_links").has("notification")).isFalse();
    }

    @Test
    void nonJsonAnswers202WithGarbage() {
        HttpResponse<String> response = http.send(http.createDatabase(token, "non-json").build());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThatThrownBy(() -> TestHttp.JSON.readTree(response.body())).isInstanceOf(IOException.class);
    }

    @Test
    void unknownScenarioWordIsA400NamingIt() {
        HttpResponse<String> response = http.send(http.createDatabase(token, "success,explode").build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(response).get("message").asText()).contains("'explode'");
    }

    @Test
    void unknownNotificationIs404AndNotificationsNeedAToken() {
        String href = href(http.send(http.createDatabase(token, null).build()));

        assertThat(http.get(simulator.acquiaBaseUrl() + "/notifications/nope", token).statusCode()).isEqualTo(404);
        assertThat(http.get(href, "wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void linksUseThePublicBaseUrl() {
        try (UpstreamSimulator published = UpstreamSimulator.start(SimulatorConfig.builder()
                .publicBaseUrl("http://simulator:8090/").build())) {
            TestHttp other = new TestHttp(published);

            JsonNode body = TestHttp.json(other.send(other.createDatabase(other.token(), null).build()));

            assertThat(published.publicBaseUrl()).isEqualTo("http://simulator:8090");
            assertThat(body.at("/_links/notification/href").asText()).startsWith("http://simulator:8090/api/notifications/");
        }
    }

    private static String href(HttpResponse<String> accepted) {
        assertThat(accepted.statusCode()).isEqualTo(202);
        return TestHttp.json(accepted).at("/_links/notification/href").asText();
    }

    private static String uuid(String href) {
        return href.substring(href.lastIndexOf('/') + 1);
    }
}
