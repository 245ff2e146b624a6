package io.asyncbridge.poller.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.simulator.config.SimulatorConfig;
import io.asyncbridge.simulator.UpstreamSimulator;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Starts Acquia tasks on the simulator the way ingest would, and returns their notification links. Uses a Vert.x
 * client that it closes, so no keep-alive connection holds the simulator open at the end of a test.
 */
final class SimulatedAcquia implements AutoCloseable {

  private final UpstreamSimulator simulator;
  private final HttpClient http;
  private final Context context;
  private final ObjectMapper json = new ObjectMapper();
  private String token;

  SimulatedAcquia(Vertx vertx) throws Exception {
    simulator = UpstreamSimulator.start(vertx, SimulatorConfig.builder().port(0).build())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    http = vertx.createHttpClient();
    context = vertx.getOrCreateContext();
  }

  String baseUrl() {
    return simulator.acquiaBaseUrl();
  }

  String tokenUrl() {
    return simulator.acquiaTokenUrl();
  }

  /** Creates a database task with the given simulator scenario; returns the notification link. */
  String startTask(String taskId, String scenario) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setAbsoluteURI(baseUrl() + "/applications/app-1/databases")
        .putHeader("Authorization", "Bearer " + token())
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Simulator-Scenario", scenario)
        // Without an id the simulator takes identical create calls for retries of one call.
        .putHeader("X-Simulator-Request-Id", taskId);
    Answer answer = send(options, "{\"name\":\"db\"}");
    if (answer.status() != 202) {
      throw new IllegalStateException("simulator answered " + answer.status() + ": " + answer.body());
    }
    String link = answer.body().at("/_links/notification/href").asText();
    if (link.isEmpty()) {
      throw new IllegalStateException("simulator answered without a notification link: " + answer.body());
    }
    return link;
  }

  private synchronized String token() throws Exception {
    if (token == null) {
      String form = "grant_type=client_credentials&client_id="
          + URLEncoder.encode(SimulatorConfig.DEFAULT_ACQUIA_CLIENT_ID, StandardCharsets.UTF_8)
          + "&client_secret=" + URLEncoder.encode(SimulatorConfig.DEFAULT_ACQUIA_CLIENT_SECRET, StandardCharsets.UTF_8);
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(tokenUrl())
          .putHeader("Content-Type", "application/x-www-form-urlencoded");
      token = send(options, form).body().path("access_token").asText();
    }
    return token;
  }

  private record Answer(int status, JsonNode body) {
  }

  /** Runs the exchange on a Vert.x context: from the test thread, the body handler could come after the body. */
  private Answer send(RequestOptions options, String body) throws Exception {
    Promise<Answer> answer = Promise.promise();
    context.runOnContext(ignored -> http.request(options)
        .compose(request -> request.send(Buffer.buffer(body)))
        .compose(response -> response.body().map(bytes -> new Answer(response.statusCode(), parse(bytes))))
        .onComplete(answer));
    return answer.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private JsonNode parse(Buffer bytes) {
    try {
      return json.readTree(bytes.getBytes());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("simulator answered non-JSON", e);
    }
  }

  @Override
  public void close() throws Exception {
    http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // UpstreamSimulator.close() does not finish within its 30 s (seen on this branch even without a request);
    // the simulator runs on the test's Vert.x, whose close() stops it for good.
    simulator.closeAsync();
  }
}
