package io.asyncbridge.core.upstream;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;

/** Adds a provider's credentials to upstream calls. */
public interface Authorizer {

  /** The header to add (name, value), or empty for none. */
  Future<Optional<Map.Entry<String, String>>> header();

  /**
   * The upstream answered 401 to a call made with {@code headerValue}.
   *
   * @return whether one more try with a fresh credential makes sense
   */
  boolean rejected(String headerValue);

  /** No credentials at all. */
  static Authorizer none() {
    return new Authorizer() {
      @Override
      public Future<Optional<Map.Entry<String, String>>> header() {
        return Future.succeededFuture(Optional.empty());
      }

      @Override
      public boolean rejected(String headerValue) {
        return false;
      }
    };
  }

  /** A fixed header; a 401 means the configured value is wrong, so it is not retried. */
  static Authorizer staticHeader(String name, io.asyncbridge.core.config.Secret value) {
    Future<Optional<Map.Entry<String, String>>> header = Future.succeededFuture(Optional.of(Map.entry(name, value.reveal())));
    return new Authorizer() {
      @Override
      public Future<Optional<Map.Entry<String, String>>> header() {
        return header;
      }

      @Override
      public boolean rejected(String headerValue) {
        return false;
      }
    };
  }
}
