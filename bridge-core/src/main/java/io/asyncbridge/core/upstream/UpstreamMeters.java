package io.asyncbridge.core.upstream;

import io.asyncbridge.core.observability.ServiceMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;

/**
 * Meters of one provider's API as one service calls it: {@value #ERRORS} ({@code kind}: why a call got no usable
 * answer) and {@value #TOKEN_REFRESHES} ({@code outcome}: {@code success}, {@code rejected}, {@code failed}).
 */
public final class UpstreamMeters {

  public static final String ERRORS = "bridge.upstream.errors";
  public static final String TOKEN_REFRESHES = "bridge.oauth2.token.refreshes";

  /** Meters in a registry nobody scrapes, for tests only (every provider counts as unknown). */
  public static UpstreamMeters forTests() {
    return new UpstreamMeters(ServiceMeters.forTests("none"), ServiceMeters.UNKNOWN);
  }

  /**
   * The meters of calls to one provider's API as {@code meters}' service makes them. Asking twice for one provider
   * gives meters on the same counters: the registry keeps one counter per name and tags.
   */
  public static UpstreamMeters of(ServiceMeters meters, String provider) {
    return new UpstreamMeters(meters, meters.provider(provider));
  }

  /** Outcomes of a token fetch. */
  public enum TokenOutcome {
    SUCCESS, REJECTED, FAILED
  }

  private final Counter[] errors;
  private final Counter[] tokens;

  private UpstreamMeters(ServiceMeters meters, String provider) {
    Tags tags = Tags.of("service", meters.service(), "provider", provider);
    UpstreamException.Kind[] kinds = UpstreamException.Kind.values();
    errors = new Counter[kinds.length];
    for (UpstreamException.Kind kind : kinds) {
      errors[kind.ordinal()] = Counter.builder(ERRORS).tags(tags).tag("kind", kind.name().toLowerCase(Locale.ROOT))
          .description("upstream calls that got no usable answer, by kind").register(meters.registry());
    }
    TokenOutcome[] outcomes = TokenOutcome.values();
    tokens = new Counter[outcomes.length];
    for (TokenOutcome outcome : outcomes) {
      tokens[outcome.ordinal()] = Counter.builder(TOKEN_REFRESHES).tags(tags)
          .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
          .description("OAuth2 access token fetches, by outcome").register(meters.registry());
    }
  }

  public void error(UpstreamException.Kind kind) {
    errors[kind.ordinal()].increment();
  }

  public void tokenFetched(TokenOutcome outcome) {
    tokens[outcome.ordinal()].increment();
  }

  /** For tests. */
  public double errors(UpstreamException.Kind kind) {
    return errors[kind.ordinal()].count();
  }

  /** For tests. */
  public double tokenFetches(TokenOutcome outcome) {
    return tokens[outcome.ordinal()].count();
  }
}
