package io.asyncbridge.core.upstream;

import io.asyncbridge.core.config.UpstreamAuth;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The authorizer of one provider whose credentials can change while the process runs (a rotated OAuth2 client
 * secret, a new Authorization header). A call takes whichever credential is current when it starts; a call already
 * in flight finishes with the one it took, and if the upstream refuses that one (401), its one retry takes the new
 * one. Nothing about a task depends on the credential, so no task is affected by the swap.
 */
final class ReloadableAuthorizer implements Authorizer {

  private final Function<UpstreamAuth, Authorizer> factory;
  private volatile State state;

  private record State(UpstreamAuth auth, Authorizer authorizer) {
  }

  ReloadableAuthorizer(UpstreamAuth auth, Function<UpstreamAuth, Authorizer> factory) {
    this.factory = factory;
    this.state = new State(auth, factory.apply(auth));
  }

  /**
   * Takes the new credentials if they differ from the current ones and are of the same kind (a fixed header keeps its
   * name: ingest's request rules were built around it); returns whether they were taken.
   */
  synchronized boolean update(UpstreamAuth auth) {
    if (state.auth().equals(auth) || !sameKind(state.auth(), auth)) { // Secret compares in constant time
      return false;
    }
    state = new State(auth, factory.apply(auth)); // a new OAuth2 cache: the old token was issued to the old secret
    return true;
  }

  private static boolean sameKind(UpstreamAuth a, UpstreamAuth b) {
    if (a instanceof UpstreamAuth.StaticHeader x && b instanceof UpstreamAuth.StaticHeader y) {
      return x.header().equalsIgnoreCase(y.header());
    }
    return a.getClass() == b.getClass();
  }

  @Override
  public Future<Optional<Map.Entry<String, String>>> header() {
    return state.authorizer().header();
  }

  @Override
  public boolean rejected(String headerValue) {
    Authorizer current = state.authorizer();
    if (current.rejected(headerValue)) {
      return true; // OAuth2: a fresh token is worth one more try
    }
    // A fixed header refused: one more try only if it was replaced since the call took it. A fixed header's future is
    // already complete, so this never starts a fetch.
    Future<Optional<Map.Entry<String, String>>> header = current.header();
    return header.succeeded() && header.result().isPresent() && !header.result().get().getValue().equals(headerValue);
  }
}
