package io.asyncbridge.simulator.acquia;

import com.fasterxml.jackson.databind.JsonNode;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.TestHttp;
import io.asyncbridge.simulator.UpstreamSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AcquiaTokenTest {

    private UpstreamSimulator simulator;
    private TestHttp http;

    private void start(SimulatorConfig config) {
        simulator = UpstreamSimulator.start(config);
        http = new TestHttp(simulator);
    }

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void grantsATokenForGoodCredentialsInTheForm() {
        start(SimulatorConfig.defaults());

        HttpResponse<String> response = http.tokenRequest(Map.of("grant_type", "client_credentials",
                "client_id", SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID,
                "client_secret", SimulatorConfig.DEFAULT_ACQUIA_CLIENT_SECRET), null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = TestHttp.json(response);
        assertThat(body.get("access_token").asText()).isNotBlank();
        assertThat(body.get("token_type").asText()).isEqualTo("bearer");
        assertThat(body.get("expires_in").asInt()).isEqualTo(300);
        assertThat(simulator.stats().tokensIssued()).isEqualTo(1);
    }

    @Test
    void grantsATokenForGoodCredentialsInHttpBasic() {
        start(SimulatorConfig.defaults());
        String basic = "Basic " + Base64.getEncoder().encodeToString((SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID + ":"
                + SimulatorConfig.DEFAULT_ACQUIA_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = http.tokenRequest(Map.of("grant_type", "client_credentials"), basic);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(response).get("access_token").asText()).isNotBlank();
    }

    @Test
    void rejectsBadCredentialsAndOtherGrants() {
        start(SimulatorConfig.defaults());

        HttpResponse<String> bad = http.tokenRequest(Map.of("grant_type", "client_credentials",
                "client_id", SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID, "client_secret", "wrong"), null);
        HttpResponse<String> password = http.tokenRequest(Map.of("grant_type", "password",
                "client_id", SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID,
                "client_secret", SimulatorConfig.DEFAULT_ACQUIA_CLIENT_SECRET), null);

        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(TestHttp.json(bad).get("error").asText()).isEqualTo("invalid_client");
        assertThat(TestHttp.json(bad).get("error_description").asText()).isNotBlank();
        assertThat(password.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(password).get("error").asText()).isEqualTo("unsupported_grant_type");
        assertThat(simulator.stats().tokenRequestsRejected()).isEqualTo(2);
        assertThat(simulator.stats().tokensIssued()).isZero();
    }

    @Test
    void callsWithoutOrWithAnUnknownTokenAnswer401() {
        start(SimulatorConfig.defaults());

        HttpResponse<String> unknown = http.send(http.createDatabase("not-a-token", null).build());
        HttpResponse<String> missing = http.send(http.createDatabase("x", null).header("X-Unused", "1")
                .setHeader("Authorization", "Basic Zm9vOmJhcg==").build());

        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(TestHttp.json(unknown).get("error").asText()).isEqualTo("invalid_token");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(simulator.stats().unauthorizedRequests()).isEqualTo(2);
        assertThat(simulator.stats().acquiaCreateCalls()).isZero();
    }

    @Test
    void tokensExpireAfterTheirLifetime() {
        start(SimulatorConfig.builder().tokenLifetime(Duration.ofMillis(1200)).build());
        String token = http.token();

        assertThat(http.send(http.createDatabase(token, null).build()).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.send(http.createDatabase(token, null).build()).statusCode() == 401);
        assertThat(http.send(http.createDatabase(http.token(), null).build()).statusCode()).isEqualTo(202);
    }

    @Test
    void expireAllTokensInvalidatesEveryIssuedToken() {
        start(SimulatorConfig.defaults());
        String first = http.token();
        String second = http.token();

        simulator.expireAllTokens();

        HttpResponse<String> expired = http.send(http.createDatabase(first, null).build());
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(TestHttp.json(expired).get("error").asText()).isEqualTo("invalid_token");
        assertThat(http.send(http.createDatabase(second, null).build()).statusCode()).isEqualTo(401);
        assertThat(http.send(http.createDatabase(http.token(), null).build()).statusCode()).isEqualTo(202);
    }
}
