package io.asyncbridge.simulator.lro;

import com.fasterxml.jackson.databind.JsonNode;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.TestHttp;
import io.asyncbridge.simulator.UpstreamSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The simulated RFC 9110 / Azure long-running-operation API, on a real port. */
class HttpLroApiTest {

    private UpstreamSimulator simulator;
    private TestHttp http;

    @BeforeEach
    void start() {
        simulator = UpstreamSimulator.start(SimulatorConfig.builder().taskDuration(Duration.ofMillis(400)).build());
        http = new TestHttp(simulator);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private HttpResponse<String> create(String scenario) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.httpLroBaseUrl() + "/subscriptions/s-1/vms/vm-1"))
                .header("Authorization", LroApis.HTTP_LRO_AUTHORIZATION)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"location\":\"westeurope\"}"));
        if (scenario != null) {
            request.header("X-Simulator-Scenario", scenario);
        }
        return http.send(request.build());
    }

    private HttpResponse<String> get(String url) {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", LroApis.HTTP_LRO_AUTHORIZATION)
                .GET().build());
    }

    @Test
    void aCreateCallAnswers202WithAStatusMonitorThatRunsAndSucceeds() {
        HttpResponse<String> accepted = create(null);

        assertThat(accepted.statusCode()).isEqualTo(202);
        String monitor = accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow();
        assertThat(monitor).startsWith(simulator.baseUrl() + "/lro/operations/");
        assertThat(accepted.headers().firstValue("Location").orElseThrow()).startsWith(simulator.baseUrl() + "/lro/results/");
        JsonNode first = TestHttp.json(get(monitor));
        assertThat(first.get("status").asText()).isIn("NotStarted", "Running", "InProgress");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> TestHttp.json(get(monitor)).get("status").asText().equals("Succeeded"));
        JsonNode done = TestHttp.json(get(monitor));
        assertThat(done.get("percentComplete").asInt()).isEqualTo(100);
        assertThat(done.has("error")).isFalse();
    }

    @Test
    void theLinkHeaderFollowsTheScenario() {
        assertThat(create("operation-location").headers().map()).containsKey("operation-location")
                .doesNotContainKeys("azure-asyncoperation", "location");
        HttpResponse<String> location = create("location");
        assertThat(location.headers().map()).containsKey("location").doesNotContainKey("azure-asyncoperation");
        assertThat(create("operation-location,relative").headers().firstValue("Operation-Location").orElseThrow())
                .startsWith("/lro/operations/");
        assertThat(create("bad-link").headers().firstValue("Azure-AsyncOperation").orElseThrow())
                .startsWith("http://169.254.169.254/");
        HttpResponse<String> none = create("no-link");
        assertThat(none.statusCode()).isEqualTo(202);
        assertThat(none.headers().map()).doesNotContainKeys("azure-asyncoperation", "operation-location", "location");
        assertThat(create("retry-after=3").headers().firstValue("Retry-After")).hasValue("3");
    }

    @Test
    void theLocationUrlAnswers202WhileRunningAndTheFinalResourceWhenDone() {
        String result = create("location").headers().firstValue("Location").orElseThrow();

        assertThat(get(result).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> get(result).statusCode() == 200);
        JsonNode resource = TestHttp.json(get(result));
        assertThat(resource.has("status")).as("a final resource, no status word").isFalse();
        assertThat(resource.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    }

    @Test
    void failuresAndCancelsEndWithTheirStatusAndAnErrorObject() {
        String failing = create("fail").headers().firstValue("Azure-AsyncOperation").orElseThrow();
        String canceled = create("cancel").headers().firstValue("Azure-AsyncOperation").orElseThrow();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> TestHttp.json(get(failing)).get("status").asText().equals("Failed"));
        JsonNode failed = TestHttp.json(get(failing));
        assertThat(failed.at("/error/code").asText()).isEqualTo("SimulatedFailure");
        assertThat(failed.at("/error/message").asText()).isNotBlank();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> TestHttp.json(get(canceled)).get("status").asText().equals("Canceled"));
    }

    @Test
    void syncAnswersTheFinalResourceAtOnce() {
        HttpResponse<String> created = create("sync");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().map()).doesNotContainKeys("azure-asyncoperation", "operation-location", "location");
        assertThat(TestHttp.json(created).at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
        HttpResponse<String> failed = create("sync-fail");
        assertThat(failed.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(failed).get("status").asText()).isEqualTo("Failed");
    }

    @Test
    void pollFaultsThrottleLagAndFail() {
        String throttled = create("poll429=1,poll5xx=1").headers().firstValue("Azure-AsyncOperation").orElseThrow();
        HttpResponse<String> first = get(throttled);
        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(get(throttled).statusCode()).isEqualTo(503);
        assertThat(get(throttled).statusCode()).isEqualTo(200);

        String lagging = create("lag404=600").headers().firstValue("Azure-AsyncOperation").orElseThrow();
        assertThat(get(lagging).statusCode()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> get(lagging).statusCode() == 200);
        String id = lagging.substring(lagging.lastIndexOf('/') + 1);
        assertThat(simulator.lroOperations().polls(id)).isGreaterThanOrEqualTo(2);
        assertThat(simulator.lroOperations().firstPollAfterMillis(id)).isPresent();
    }

    @Test
    void createFaultsAndRefusals() {
        assertThat(create("create429=1").statusCode()).isEqualTo(429);
        assertThat(create("create429=1").statusCode()).as("the retry of the same call").isEqualTo(202);
        assertThat(create("reject").statusCode()).isEqualTo(400);
        HttpResponse<String> typo = create("fial");
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(typo).at("/error/message").asText()).contains("'fial'");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(simulator.httpLroBaseUrl() + "/x"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(TestHttp.json(anonymous).at("/error/code").asText()).isEqualTo("AuthenticationFailed");
        assertThat(simulator.lroOperations().createCalls("create429=1")).isEqualTo(2);
    }
}
