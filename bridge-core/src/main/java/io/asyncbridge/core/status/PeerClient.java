package io.asyncbridge.core.status;

import io.asyncbridge.core.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks another bridge process's management endpoint for the part of a status answer it holds
 * ({@code /api/internal/...}), with the shared bearer token. Answers are small JSON objects.
 */
final class PeerClient implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final WebClient client;
  private final Optional<Secret> token;

  PeerClient(Vertx vertx, Optional<Secret> token) {
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) TIMEOUT.toMillis())
        .setUserAgent("async-bridge-status"));
    this.token = token;
  }

  /** GET {@code http://<hostAndPort><path>?<query>}; fails unless the answer is 200 JSON (404 is an answer too). */
  Future<Answer> get(String hostAndPort, String path, MultiMap query) {
    int colon = hostAndPort.lastIndexOf(':');
    var request = client.get(Integer.parseInt(hostAndPort.substring(colon + 1)), hostAndPort.substring(0, colon), path)
        .timeout(TIMEOUT.toMillis());
    query.forEach(request::addQueryParam);
    token.ifPresent(secret -> request.bearerTokenAuthentication(secret.reveal()));
    return request.send().map(PeerClient::answer);
  }

  private static Answer answer(HttpResponse<io.vertx.core.buffer.Buffer> response) {
    JsonObject body;
    try {
      body = response.body() == null ? new JsonObject() : response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      throw new IllegalStateException("a peer answered " + response.statusCode() + " without JSON");
    }
    return new Answer(response.statusCode(), body == null ? new JsonObject() : body);
  }

  /** A peer's answer. */
  record Answer(int status, JsonObject body) {

    /** Whether the peer does not run the service asked about (try another one). */
    boolean notServed() {
      return status == 404 && body.getJsonObject("error") != null
          && "not_served".equals(body.getJsonObject("error").getString("code"));
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
