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

/** The simulated Google AIP-151 operations API, on a real port. */
class GoogleLroApiTest {

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
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.googleLroBaseUrl()
                        + "/projects/p-1/locations/eu/instances?instanceId=i-1"))
                .header(LroApis.GOOGLE_API_KEY_HEADER, LroApis.GOOGLE_API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tier\":\"BASIC\"}"));
        if (scenario != null) {
            request.header("X-Simulator-Scenario", scenario);
        }
        return http.send(request.build());
    }

    private JsonNode operation(String name) {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(simulator.googleLroBaseUrl() + "/" + name))
                .header(LroApis.GOOGLE_API_KEY_HEADER, LroApis.GOOGLE_API_KEY).GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestHttp.json(response);
    }

    @Test
    void aCreateCallAnswersAnOperationThatIsPolledByNameUntilDone() {
        HttpResponse<String> created = create(null);

        assertThat(created.statusCode()).isEqualTo(200);
        JsonNode operation = TestHttp.json(created);
        String name = operation.get("name").asText();
        assertThat(name).startsWith("operations/");
        assertThat(operation.has("done")).as("proto3 JSON leaves out done: false").isFalse();
        assertThat(operation.at("/metadata/@type").asText()).endsWith("OperationMetadata");
        assertThat(operation(name).get("done").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> operation(name).get("done").asBoolean());
        JsonNode done = operation(name);
        assertThat(done.at("/response/state").asText()).isEqualTo("READY");
        assertThat(done.at("/metadata/progressPercent").asInt()).isEqualTo(100);
        assertThat(done.has("error")).isFalse();
    }

    @Test
    void failedAndCanceledOperationsCarryAStatusError() {
        String failing = TestHttp.json(create("fail")).get("name").asText();
        String canceled = TestHttp.json(create("cancel")).get("name").asText();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> operation(canceled).get("done").asBoolean());

        JsonNode failed = operation(failing);
        assertThat(failed.at("/error/code").asInt()).isEqualTo(9);
        assertThat(failed.at("/error/details/0/reason").asText()).isEqualTo("SIMULATED_FAILURE");
        assertThat(failed.has("response")).isFalse();
        assertThat(operation(canceled).at("/error/code").asInt()).isEqualTo(1);
    }

    @Test
    void malformedOperationsForTheBridgeToRefuse() {
        assertThat(TestHttp.json(create("no-name")).has("name")).isFalse();
        assertThat(TestHttp.json(create("bad-name")).get("name").asText()).startsWith("../../");
        String badDone = TestHttp.json(create("bad-done")).get("name").asText();
        assertThat(operation(badDone).get("done").isTextual()).isTrue();
        String errorString = TestHttp.json(create("error-string")).get("name").asText();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> operation(errorString).get("done").asBoolean());
        assertThat(operation(errorString).get("error").isTextual()).isTrue();
    }

    @Test
    void syncOperationsAreDoneInTheCreateAnswer() {
        JsonNode done = TestHttp.json(create("sync"));
        assertThat(done.get("done").asBoolean()).isTrue();
        assertThat(done.has("response")).isTrue();
        JsonNode failed = TestHttp.json(create("sync-fail"));
        assertThat(failed.get("done").asBoolean()).isTrue();
        assertThat(failed.at("/error/code").asInt()).isEqualTo(9);
    }

    @Test
    void faultsAndCredentials() {
        HttpResponse<String> throttled = create("create429=1");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(TestHttp.json(throttled).at("/error/status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        String name = TestHttp.json(create("poll429=1,lag404=500")).get("name").asText();
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(simulator.googleLroBaseUrl() + "/" + name))
                .header(LroApis.GOOGLE_API_KEY_HEADER, LroApis.GOOGLE_API_KEY).GET().build());
        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
        HttpResponse<String> wrongKey = http.send(HttpRequest.newBuilder(URI.create(simulator.googleLroBaseUrl() + "/" + name))
                .header(LroApis.GOOGLE_API_KEY_HEADER, "nope").GET().build());
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(TestHttp.json(wrongKey).at("/error/status").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(create("reject").statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> cancel(String name) {
        return http.send(HttpRequest.newBuilder(URI.create(simulator.googleLroBaseUrl() + "/" + name + ":cancel"))
                .header(LroApis.GOOGLE_API_KEY_HEADER, LroApis.GOOGLE_API_KEY)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void aCancelCallEndsARunningOperationCanceledAndLeavesAnEndedOneAsItWas() {
        String running = TestHttp.json(create("never")).get("name").asText();
        String refusing = TestHttp.json(create("never,no-cancel")).get("name").asText();
        String ended = TestHttp.json(create(null)).get("name").asText();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> operation(ended).get("done").asBoolean());

        HttpResponse<String> accepted = cancel(running);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.body()).isEqualTo("{}");
        JsonNode canceled = operation(running);
        assertThat(canceled.get("done").asBoolean()).isTrue();
        assertThat(canceled.at("/error/code").asInt()).isEqualTo(1);

        HttpResponse<String> refused = cancel(refusing);
        assertThat(refused.statusCode()).isEqualTo(501);
        assertThat(TestHttp.json(refused).at("/error/status").asText()).isEqualTo("UNIMPLEMENTED");
        assertThat(operation(refusing).get("done").asBoolean()).isFalse();

        assertThat(cancel(ended).statusCode()).isEqualTo(200);
        assertThat(operation(ended).at("/response/state").asText()).as("an ended operation stays as it ended")
                .isEqualTo("READY");
        assertThat(cancel("operations/no-such-operation").statusCode()).isEqualTo(404);
        assertThat(simulator.lroOperations().cancelCalls()).isEqualTo(4);
    }
}
