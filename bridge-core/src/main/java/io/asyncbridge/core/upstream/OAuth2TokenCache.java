package io.asyncbridge.core.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncbridge.core.config.UpstreamAuth;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth2 client-credentials tokens for one provider: fetched once, shared by every call, refreshed shortly before
 * they expire (Acquia's live 300 s) and once when the upstream answers 401. Concurrent callers share one fetch.
 * A token endpoint that refuses the credentials is remembered for a short while, so that a wrong secret fails
 * every task quickly instead of hammering the endpoint. Tokens are never logged.
 */
public final class OAuth2TokenCache implements Authorizer {

  private static final Logger LOG = LoggerFactory.getLogger(OAuth2TokenCache.class);
  private static final Duration REJECTION_MEMORY = Duration.ofSeconds(30);
  private static final Duration TOKEN_FETCH_TIMEOUT = Duration.ofSeconds(30);

  private final String provider;
  private final UpstreamAuth.OAuth2ClientCredentials credentials;
  private final HttpExchange http;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicLong fetched = new AtomicLong();
  private final UpstreamMeters meters;

  private Token current;
  private Future<Token> inFlight;
  private UpstreamException rejection;
  private Instant rejectedAt;

  /** @param meters where each fetch is counted by outcome ({@code bridge_oauth2_token_refreshes_total}) */
  public OAuth2TokenCache(String provider, UpstreamAuth.OAuth2ClientCredentials credentials, HttpExchange http,
      Clock clock, UpstreamMeters meters) {
    this.provider = provider;
    this.credentials = credentials;
    this.http = http;
    this.clock = clock;
    this.meters = meters;
  }

  private record Token(String headerValue, Instant refreshAt) {
  }

  @Override
  public Future<Optional<Map.Entry<String, String>>> header() {
    return token().map(token -> Optional.of(Map.entry("Authorization", token.headerValue())));
  }

  private synchronized Future<Token> token() {
    Instant now = clock.instant();
    if (current != null && now.isBefore(current.refreshAt())) {
      return Future.succeededFuture(current);
    }
    if (rejection != null && now.isBefore(rejectedAt.plus(REJECTION_MEMORY))) {
      return Future.failedFuture(rejection);
    }
    if (inFlight != null) {
      return inFlight;
    }
    // inFlight is set before the fetch starts: a fetch that completes at once (its callbacks then run on this
    // thread, inside this lock) must clear it, not be overwritten by it and pin the old token for good.
    Promise<Token> fetching = Promise.promise();
    inFlight = fetching.future();
    fetch().onComplete(result -> {
      finished(result.succeeded() ? result.result() : null, result.cause());
      fetching.handle(result);
    });
    return fetching.future();
  }

  private synchronized void finished(Token token, Throwable failure) {
    inFlight = null;
    if (token != null) {
      current = token;
      rejection = null;
      meters.tokenFetched(UpstreamMeters.TokenOutcome.SUCCESS);
    } else if (failure instanceof UpstreamException upstream && upstream.kind() == UpstreamException.Kind.AUTH_REJECTED) {
      rejection = upstream;
      rejectedAt = clock.instant();
      meters.tokenFetched(UpstreamMeters.TokenOutcome.REJECTED);
    } else {
      meters.tokenFetched(UpstreamMeters.TokenOutcome.FAILED);
    }
  }

  @Override
  public synchronized boolean rejected(String headerValue) {
    if (current != null && current.headerValue().equals(headerValue)) {
      current = null; // the next caller fetches a fresh token; callers holding the old one retry once
    }
    return true;
  }

  /** How many tokens were fetched so far (a metric, and how tests prove there is no token per call). */
  public long tokensFetched() {
    return fetched.get();
  }

  private Future<Token> fetch() {
    StringBuilder form = new StringBuilder("grant_type=client_credentials")
        .append("&client_id=").append(encode(credentials.clientId()))
        .append("&client_secret=").append(encode(credentials.clientSecret().reveal()));
    if (!credentials.scope().isBlank()) {
      form.append("&scope=").append(encode(credentials.scope()));
    }
    UpstreamRequest request = new UpstreamRequest("POST", credentials.tokenUrl(),
        Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"),
        form.toString().getBytes(StandardCharsets.UTF_8), TOKEN_FETCH_TIMEOUT);
    Instant requestedAt = clock.instant();
    return http.send(request)
        .recover(failure -> Future.failedFuture(new UpstreamException(UpstreamException.Kind.AUTH_UNAVAILABLE,
            "provider " + provider + ": token endpoint unreachable: " + failure.getMessage())))
        .compose(response -> parse(response, requestedAt));
  }

  private Future<Token> parse(UpstreamResponse response, Instant requestedAt) {
    String where = "provider " + provider + ": token endpoint " + credentials.tokenUrl().getHost();
    if (response.status() == 400 || response.status() == 401 || response.status() == 403) {
      return Future.failedFuture(new UpstreamException(UpstreamException.Kind.AUTH_REJECTED,
          where + " refused the client credentials (HTTP " + response.status() + errorCode(response) + ")"));
    }
    if (!response.isSuccess()) {
      return Future.failedFuture(new UpstreamException(UpstreamException.Kind.AUTH_UNAVAILABLE,
          where + " answered HTTP " + response.status()));
    }
    try {
      JsonNode body = json.readTree(response.body());
      JsonNode accessToken = body == null ? null : body.get("access_token");
      if (accessToken == null || !accessToken.isTextual() || accessToken.asText().isBlank()) {
        return Future.failedFuture(new UpstreamException(UpstreamException.Kind.AUTH_UNAVAILABLE,
            where + " answered without an access_token"));
      }
      long expiresIn = body.path("expires_in").asLong(300);
      Duration lifetime = Duration.ofSeconds(Math.max(1, expiresIn));
      Duration early = credentials.refreshBefore().compareTo(lifetime.dividedBy(2)) > 0
          ? lifetime.dividedBy(2) : credentials.refreshBefore();
      fetched.incrementAndGet();
      LOG.info("provider {}: fetched an access token valid for {} s", provider, lifetime.toSeconds());
      return Future.succeededFuture(new Token("Bearer " + accessToken.asText(), requestedAt.plus(lifetime).minus(early)));
    } catch (IOException e) {
      return Future.failedFuture(new UpstreamException(UpstreamException.Kind.AUTH_UNAVAILABLE,
          where + " answered with something that is not JSON"));
    }
  }

  private String errorCode(UpstreamResponse response) {
    try {
      JsonNode error = json.readTree(response.body()).path("error");
      return error.isTextual() && error.asText().matches("[a-z_]{1,40}") ? ", " + error.asText() : "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
