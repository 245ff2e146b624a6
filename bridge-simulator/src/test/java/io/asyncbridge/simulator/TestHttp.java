package io.asyncbridge.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plain JDK HTTP client for talking to the simulator from tests, independent of Vert.x. */
public final class TestHttp {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final UpstreamSimulator simulator;

    public TestHttp(UpstreamSimulator simulator) {
        this.simulator = simulator;
    }

    public HttpClient client() {
        return client;
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> tokenRequest(Map<String, String> form, String basicAuthorization) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.acquiaTokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (basicAuthorization != null) {
            request.header("Authorization", basicAuthorization);
        }
        return send(request.build());
    }

    /** A valid token for the default credentials. */
    public String token() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", simulator.config().acquiaClientId());
        form.put("client_secret", simulator.config().acquiaClientSecret());
        HttpResponse<String> response = tokenRequest(form, null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
        }
        return json(response).get("access_token").asText();
    }

    /** POST /api/applications/{uuid}/databases with an optional scenario. */
    public HttpRequest.Builder createDatabase(String token, String scenario) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(simulator.acquiaBaseUrl() + "/applications/8ff6c7d6-0000-4444-aaaa-111111111111/databases"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"test_database_1\"}"));
        if (scenario != null) {
            request.header("X-Simulator-Scenario", scenario);
        }
        return request;
    }

    public HttpResponse<String> get(String url, String token) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build());
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }
}
