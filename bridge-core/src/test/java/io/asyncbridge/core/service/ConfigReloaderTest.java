package io.asyncbridge.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.BridgeConfigLoader;
import io.asyncbridge.core.upstream.HttpExchange;
import io.asyncbridge.core.upstream.UpstreamClient;
import io.asyncbridge.core.upstream.UpstreamCredentials;
import io.asyncbridge.core.upstream.UpstreamMeters;
import io.asyncbridge.core.upstream.UpstreamRequest;
import io.asyncbridge.core.upstream.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials rotate without a restart: a real loopback server plays an OAuth2 token endpoint and two APIs (one
 * behind the bearer token, one behind a fixed Authorization header), and the upstream switches to new credentials
 * while the clients built at start-up keep running.
 */
class ConfigReloaderTest {

  @TempDir
  Path dir;

  private Vertx vertx;
  private HttpServer server;
  private volatile String acceptedClientSecret = "old-client-secret";
  private volatile String acceptedHeader = "Token old-header-value";
  private volatile String issuedToken;
  private final AtomicInteger tokens = new AtomicInteger();
  private final Map<String, String> env = Map.of();
  private Path file;
  private UpstreamCredentials credentials;
  private UpstreamClient acquia;
  private UpstreamClient builds;
  private ConfigReloader reloader;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/oauth/token")) {
        request.body().onSuccess(body -> {
          if (!body.toString().contains("client_secret=" + acceptedClientSecret)) {
            request.response().setStatusCode(401).end("{\"error\":\"invalid_client\"}");
            return;
          }
          issuedToken = "token-" + tokens.incrementAndGet();
          request.response().putHeader("Content-Type", "application/json")
              .end("{\"access_token\":\"" + issuedToken + "\",\"expires_in\":300}");
        });
        return;
      }
      String expected = request.path().startsWith("/acquia/") ? "Bearer " + issuedToken : acceptedHeader;
      request.response().setStatusCode(expected.equals(request.getHeader("Authorization")) ? 200 : 401).end("{}");
    });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    file = dir.resolve("bridge.yaml");
    write(config("old-client-secret", "Token old-header-value", "60s"));
    BridgeConfig running = new BridgeConfigLoader(env).load(file);
    credentials = new UpstreamCredentials();
    HttpExchange http = new HttpExchange(vertx, vertx.createHttpClient(), 1024);
    acquia = credentials.clientFor(running.provider("acquia").orElseThrow(), http, Clock.systemUTC(),
        UpstreamMeters.forTests());
    builds = credentials.clientFor(running.provider("builds").orElseThrow(), http, Clock.systemUTC(),
        UpstreamMeters.forTests());
    reloader = new ConfigReloader(file, env, running, credentials);
  }

  @AfterEach
  void stop() throws Exception {
    reloader.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void newCredentialsAreTakenWithoutARestartAndAnInvalidFileIsRefused() throws Exception {
    assertThat(call(acquia, "/acquia/x")).isEqualTo(200);
    assertThat(call(builds, "/builds/x")).isEqualTo(200);

    // Given the upstream now accepts only the new credentials
    acceptedClientSecret = "new-client-secret";
    acceptedHeader = "Token new-header-value";
    issuedToken = "revoked";
    assertThat(call(builds, "/builds/x")).as("the old header is refused").isEqualTo(401);

    // When a file that fails validation is written, it is refused and nothing changes
    write(config("new-client-secret", "Token new-header-value", "60s").replace("clientId: id", "clientld: id"));
    ConfigReloader.Outcome refused = reloader.reload("test");
    assertThat(refused.accepted()).isFalse();
    assertThat(refused.problems()).anySatisfy(problem -> assertThat(problem).startsWith("providers.acquia.clientld"));
    assertThat(refused.problems()).noneSatisfy(problem -> assertThat(problem).contains("new-client-secret", "new-header"));
    assertThat(call(builds, "/builds/x")).as("still the old header").isEqualTo(401);

    // When the valid new file is read, the same clients use the new credentials
    write(config("new-client-secret", "Token new-header-value", "60s"));
    ConfigReloader.Outcome accepted = reloader.reload("test");
    assertThat(accepted.accepted()).isTrue();
    assertThat(accepted.credentialsChanged()).containsExactly("acquia", "builds");
    assertThat(accepted.needRestart()).isEmpty();
    assertThat(call(acquia, "/acquia/x")).isEqualTo(200);
    assertThat(call(builds, "/builds/x")).isEqualTo(200);

    // A change beyond credentials is named as waiting for a restart
    write(config("new-client-secret", "Token new-header-value", "90s"));
    ConfigReloader.Outcome other = reloader.reload("test");
    assertThat(other.credentialsChanged()).isEmpty();
    assertThat(other.needRestart()).containsExactly("providers.acquia", "providers.builds");
  }

  @Test
  void aChangedFileIsNoticedWithoutBeingAsked() throws Exception {
    reloader.start(Duration.ofMillis(100));
    acceptedHeader = "Token new-header-value";
    assertThat(call(builds, "/builds/x")).isEqualTo(401);

    write(config("old-client-secret", "Token new-header-value", "60s"));

    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> call(builds, "/builds/x") == 200);
  }

  @Test
  void sighupReloads() throws Exception {
    reloader.start(Duration.ofHours(1)); // the file check would come too late: only the signal can do it
    Assumptions.assumeTrue(reloader.reloadsOnSighup(),
        "this JVM inherited SIGHUP ignored (run under nohup?), so no handler can be installed");
    acceptedHeader = "Token new-header-value";
    Files.writeString(file, config("old-client-secret", "Token new-header-value", "60s"));

    sun.misc.Signal.raise(new sun.misc.Signal("HUP"));

    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> call(builds, "/builds/x") == 200);
  }

  private int call(UpstreamClient client, String path) throws Exception {
    URI url = URI.create("http://127.0.0.1:" + server.actualPort() + path);
    Future<UpstreamResponse> answer = client.send(UpstreamRequest.get(url, Duration.ofSeconds(10)));
    try {
      return answer.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).status();
    } catch (java.util.concurrent.ExecutionException e) {
      return -1; // the token endpoint refused the client secret
    }
  }

  /** Replaces the file in one step, as deployment tools do, so the watcher never reads half a file. */
  private void write(String yaml) throws Exception {
    Path next = dir.resolve("bridge.yaml.next");
    Files.writeString(next, yaml);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private String config(String clientSecret, String header, String maxInterval) {
    String base = "http://127.0.0.1:" + server.actualPort();
    return """
        kafka:
          bootstrapServers: localhost:9092
        providers:
          acquia:
            type: acquia
            baseUrl: %1$s/acquia
            tokenUrl: %1$s/oauth/token
            clientId: id
            clientSecret: %2$s
            poll:
              maxInterval: %4$s
          builds:
            type: http-lro
            baseUrl: %1$s/builds
            auth:
              type: header
              value: %3$s
            poll:
              maxInterval: %4$s
        """.formatted(base, clientSecret, header, maxInterval);
  }
}
