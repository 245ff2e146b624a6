package io.asyncbridge.core.status;

import io.asyncbridge.core.http.HttpError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The live web view's files (plain HTML, CSS and JavaScript in the jar, loaded once): no build step and nothing
 * fetched from the network when the page runs. The page itself holds no data; it reads {@code /api/overview} and
 * {@code /api/tasks/<taskId>} with the token the user enters, when one is required.
 */
final class WebView {

  private static final String ROOT = "/io/asyncbridge/ui/";
  private static final Map<String, String> FILES = Map.of(
      "", "text/html; charset=utf-8",
      "index.html", "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "style.css", "text/css; charset=utf-8");

  private final Map<String, Buffer> content;

  WebView() {
    this.content = Map.of("index.html", load("index.html"), "app.js", load("app.js"), "style.css", load("style.css"));
  }

  private static Buffer load(String name) {
    try (InputStream in = WebView.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("the web view's " + name + " is missing from the jar");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void serve(RoutingContext ctx) {
    String name = ctx.request().path().substring("/ui/".length());
    String type = FILES.get(name);
    if (type == null) {
      ctx.fail(HttpError.notFound("not_found", "the web view has index.html, app.js and style.css"));
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, type)
        .putHeader("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:;"
            + " frame-ancestors 'none'")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .end(content.get(name.isEmpty() ? "index.html" : name));
  }
}
