package io.asyncbridge.poller.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.simulator.SimulatorConfig;
import io.asyncbridge.simulator.UpstreamSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Starts Acquia tasks on the simulator the way ingest would, and returns their notification links. */
final class SimulatedAcquia implements AutoCloseable {

  private final UpstreamSimulator simulator;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private String token;

  SimulatedAcquia() {
    simulator = UpstreamSimulator.start(SimulatorConfig.builder().port(0).build());
  }

  String baseUrl() {
    return simulator.acquiaBaseUrl();
  }

  String tokenUrl() {
    return simulator.acquiaTokenUrl();
  }

  /** Creates a database task with the given simulator scenario; returns the notification link. */
  String startTask(String scenario) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/applications/app-1/databases"))
        .header("Authorization", "Bearer " + token())
        .header("Content-Type", "application/json")
        .header("X-Simulator-Scenario", scenario)
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"db\"}"))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IllegalStateException("simulator answered " + response.statusCode() + ": " + response.body());
    }
    return json.readTree(response.body()).at("/_links/notification/href").asText();
  }

  private synchronized String token() throws IOException, InterruptedException {
    if (token == null) {
      String form = "grant_type=client_credentials&client_id="
          + URLEncoder.encode(SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID, StandardCharsets.UTF_8)
          + "&client_secret=" + URLEncoder.encode(SimulatorConfig.DEFAULT_ACQUIA_CLIENT_SECRET, StandardCharsets.UTF_8);
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(tokenUrl()))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = json.readTree(response.body());
      token = body.path("access_token").asText();
    }
    return token;
  }

  @Override
  public void close() {
    simulator.close();
  }
}
