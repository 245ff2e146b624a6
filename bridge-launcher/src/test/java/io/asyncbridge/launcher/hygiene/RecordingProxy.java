package io.asyncbridge.launcher.hygiene;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A reverse proxy on loopback that records what crossed it: the request paths, the values of chosen request headers,
 * and the answers' bodies. Put between the bridge and the upstream it learns the real credentials on the wire (the
 * Authorization values, the OAuth2 tokens in the token endpoint's answers); put between the upstream and the webhook
 * endpoint it learns the callback URLs (with their tokens) and the webhook signatures.
 */
final class RecordingProxy implements AutoCloseable {

  private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "transfer-encoding",
      "keep-alive");

  private final HttpServer server;
  private final HttpClient client;
  private final int targetPort;
  private final Set<String> recordedHeaders;
  final List<String> paths = new CopyOnWriteArrayList<>();
  final List<String> headerValues = new CopyOnWriteArrayList<>();
  final List<String> answers = new CopyOnWriteArrayList<>();

  RecordingProxy(Vertx vertx, int targetPort, Set<String> recordedHeaders) throws Exception {
    this.targetPort = targetPort;
    this.recordedHeaders = recordedHeaders;
    this.client = vertx.createHttpClient();
    this.server = vertx.createHttpServer().requestHandler(this::forward).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String base() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private void forward(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      paths.add(request.path());
      RequestOptions options = new RequestOptions().setMethod(request.method()).setHost("127.0.0.1")
          .setPort(targetPort).setURI(request.uri()).setIdleTimeout(60_000);
      request.headers().forEach(header -> {
        String name = header.getKey().toLowerCase(Locale.ROOT);
        if (recordedHeaders.contains(name)) {
          headerValues.add(header.getValue());
        }
        if (!HOP_BY_HOP.contains(name)) {
          options.addHeader(header.getKey(), header.getValue());
        }
      });
      client.request(options)
          .compose(outgoing -> outgoing.send(body))
          .compose(response -> response.body().map(answer -> new Answer(response, answer)))
          .onSuccess(answer -> {
            answers.add(answer.body().toString());
            var response = request.response().setStatusCode(answer.response().statusCode());
            answer.response().headers().forEach(header -> {
              if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                response.putHeader(header.getKey(), header.getValue());
              }
            });
            response.end(answer.body());
          })
          .onFailure(failure -> request.connection().close()); // a reset upstream is a reset here too
    });
  }

  private record Answer(HttpClientResponse response, Buffer body) {
  }

  @Override
  public void close() throws Exception {
    Future.join(server.close(), client.close()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
