package io.asyncbridge.core.upstream;

import io.asyncbridge.core.config.ProviderConfig;
import io.asyncbridge.core.config.UpstreamAuth;
import io.asyncbridge.core.security.OutboundHostPolicy;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Calls one provider's API: checks every URL against the provider's host policy, adds its credentials and extra
 * headers, and retries exactly once with a fresh token when an OAuth2 token was refused (401).
 */
public final class UpstreamClient {

  /** Answers larger than this are refused: they would not fit into a Kafka record anyway. */
  public static final int DEFAULT_MAX_BODY_BYTES = 512 * 1024;

  private final ProviderConfig provider;
  private final HttpExchange http;
  private final Authorizer authorizer;
  private final OutboundHostPolicy hosts;
  private final UpstreamMeters meters;

  /** @param meters where failed calls are counted by kind */
  public UpstreamClient(ProviderConfig provider, HttpExchange http, Authorizer authorizer, UpstreamMeters meters) {
    this.provider = provider;
    this.http = http;
    this.authorizer = authorizer;
    this.hosts = OutboundHostPolicy.forProvider(provider);
    this.meters = meters;
  }

  /** The client for a provider, with the authorizer its configuration asks for, counting errors and token refreshes. */
  public static UpstreamClient forProvider(ProviderConfig provider, HttpExchange http, Clock clock,
      UpstreamMeters meters) {
    return new UpstreamClient(provider, http, authorizerFor(provider, http, clock, meters), meters);
  }

  static Authorizer authorizerFor(ProviderConfig provider, HttpExchange http, Clock clock, UpstreamMeters meters) {
    return authorizerFor(provider.name(), provider.auth(), http, clock, meters);
  }

  static Authorizer authorizerFor(String provider, UpstreamAuth auth, HttpExchange http, Clock clock,
      UpstreamMeters meters) {
    if (auth instanceof UpstreamAuth.OAuth2ClientCredentials oauth) {
      return new OAuth2TokenCache(provider, oauth, http, clock, meters);
    }
    if (auth instanceof UpstreamAuth.StaticHeader header) {
      return Authorizer.staticHeader(header.header(), header.value());
    }
    return Authorizer.none();
  }

  public ProviderConfig provider() {
    return provider;
  }

  public Authorizer authorizer() {
    return authorizer;
  }

  public OutboundHostPolicy hostPolicy() {
    return hosts;
  }

  public Future<UpstreamResponse> send(UpstreamRequest request) {
    Optional<String> refusal = hosts.refusal(request.url());
    if (refusal.isPresent()) {
      meters.error(UpstreamException.Kind.HOST_NOT_ALLOWED);
      return Future.failedFuture(new UpstreamException(UpstreamException.Kind.HOST_NOT_ALLOWED, refusal.get()));
    }
    return attempt(request, true).onFailure(failure -> {
      if (failure instanceof UpstreamException upstream) {
        meters.error(upstream.kind());
      }
    });
  }

  private Future<UpstreamResponse> attempt(UpstreamRequest request, boolean mayRetryAuth) {
    return authorizer.header().compose(credential -> {
      Map<String, String> headers = new HashMap<>(provider.requestHeaders());
      headers.putAll(request.headers());
      credential.ifPresent(header -> headers.put(header.getKey(), header.getValue()));
      UpstreamRequest authorized = new UpstreamRequest(request.method(), request.url(), headers, request.body(),
          request.timeout());
      // An upstream may echo the request's headers; the answer can become an event, so the credential goes first.
      return http.send(authorized).map(response -> response.redacted(credentialValues(credential)))
          .compose(response -> {
            if (response.status() == 401 && mayRetryAuth && credential.isPresent()
                && authorizer.rejected(credential.get().getValue())) {
              return attempt(request, false);
            }
            return Future.succeededFuture(response);
          });
    });
  }

  /**
   * The credential as sent, and each long word of it (the token of {@code Bearer <token>}, the parts of
   * {@code User <secret>, Element <secret>}): what an upstream could echo back.
   */
  static List<String> credentialValues(Optional<Map.Entry<String, String>> credential) {
    if (credential.isEmpty()) {
      return List.of();
    }
    String value = credential.get().getValue();
    List<String> values = new ArrayList<>();
    values.add(value);
    for (String word : value.split("[\\s,]+")) {
      if (!word.equals(value)) {
        values.add(word);
      }
    }
    return values;
  }
}
