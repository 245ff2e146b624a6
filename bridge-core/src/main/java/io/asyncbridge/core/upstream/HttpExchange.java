package io.asyncbridge.core.upstream;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One non-blocking HTTP exchange with an absolute deadline and a cap on the answer's size. Every failure becomes an
 * {@link UpstreamException} whose message names the host, not the full URL (query strings may carry secrets).
 *
 * <p>The exchange always runs on a Vert.x context. Called from any other thread (a Kafka Streams thread, a test),
 * it hops onto one of its own event-loop contexts first: Vert.x completes the response future on the event loop,
 * and a body handler attached from a foreign thread can come too late and miss the body (vert.x PR 4705).
 */
public final class HttpExchange {

  private final Vertx vertx;
  private final HttpClient client;
  private final int maxBodyBytes;
  private final Context[] contexts;
  private final AtomicInteger nextContext = new AtomicInteger();

  public HttpExchange(Vertx vertx, HttpClient client, int maxBodyBytes) {
    this.vertx = vertx;
    this.client = client;
    this.maxBodyBytes = maxBodyBytes;
    this.contexts = new Context[Math.max(1, Runtime.getRuntime().availableProcessors())];
    for (int i = 0; i < contexts.length; i++) {
      contexts[i] = vertx.getOrCreateContext();
    }
  }

  public Future<UpstreamResponse> send(UpstreamRequest request) {
    if (Vertx.currentContext() != null) {
      return exchange(request);
    }
    Promise<UpstreamResponse> promise = Promise.promise();
    contexts[Math.floorMod(nextContext.getAndIncrement(), contexts.length)]
        .runOnContext(ignored -> exchange(request).onComplete(promise));
    return promise.future();
  }

  /**
   * Every failure ends in the returned future, also one thrown while the request is being built (Vert.x refuses a
   * header value with a line break or NUL by throwing): thrown inside {@code runOnContext}, it would leave the
   * caller's future pending for ever.
   */
  private Future<UpstreamResponse> exchange(UpstreamRequest request) {
    try {
      return exchangeOrThrow(request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<UpstreamResponse> exchangeOrThrow(UpstreamRequest request) {
    Promise<UpstreamResponse> promise = Promise.promise();
    String where = request.method() + " " + request.url().getScheme() + "://" + request.url().getAuthority()
        + request.url().getRawPath();
    long timeoutMillis = Math.max(1, request.timeout().toMillis());
    AtomicBoolean done = new AtomicBoolean();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.valueOf(request.method()))
        .setAbsoluteURI(request.url().toString())
        .setConnectTimeout(timeoutMillis)
        .setIdleTimeout(timeoutMillis)
        .setFollowRedirects(false);
    request.headers().forEach(options::putHeader);
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    long timer = vertx.setTimer(timeoutMillis, id -> {
      if (done.compareAndSet(false, true)) {
        // Give the connection back: a server that trickles its answer (a byte now and then defeats the idle timeout)
        // would otherwise keep it busy for good, and a few such answers would exhaust the pool for every call.
        HttpClientRequest inFlight = sent.get();
        if (inFlight != null) {
          inFlight.reset();
        }
        promise.tryFail(new UpstreamException(UpstreamException.Kind.TIMEOUT,
            where + ": no complete answer within " + timeoutMillis + " ms"));
      }
    });
    client.request(options)
        .compose(httpRequest -> {
          sent.set(httpRequest);
          if (done.get()) {
            httpRequest.reset(); // the deadline passed while waiting for a connection: do not send late
            return Future.failedFuture(new UpstreamException(UpstreamException.Kind.TIMEOUT,
                where + ": no connection within " + timeoutMillis + " ms"));
          }
          return request.body() == null ? httpRequest.send() : httpRequest.send(Buffer.buffer(request.body()));
        })
        .onSuccess(response -> readBody(response, where, promise, done))
        .onFailure(failure -> {
          if (done.compareAndSet(false, true)) {
            promise.tryFail(classify(where, failure));
          }
        });
    return promise.future().andThen(result -> vertx.cancelTimer(timer));
  }

  private void readBody(HttpClientResponse response, String where, Promise<UpstreamResponse> promise, AtomicBoolean done) {
    Buffer body = Buffer.buffer();
    response.exceptionHandler(failure -> {
      if (done.compareAndSet(false, true)) {
        promise.tryFail(classify(where, failure));
      }
    });
    response.handler(chunk -> {
      if (done.get()) {
        return;
      }
      if (body.length() + chunk.length() > maxBodyBytes) {
        done.set(true);
        response.request().reset();
        promise.tryFail(new UpstreamException(UpstreamException.Kind.RESPONSE_TOO_LARGE,
            where + ": answer larger than " + maxBodyBytes + " bytes"));
        return;
      }
      body.appendBuffer(chunk);
    });
    response.endHandler(end -> {
      if (done.compareAndSet(false, true)) {
        Map<String, String> headers = new HashMap<>();
        response.headers().forEach(entry -> headers.putIfAbsent(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue()));
        promise.tryComplete(new UpstreamResponse(response.statusCode(), headers, body.getBytes()));
      }
    });
  }

  private static UpstreamException classify(String where, Throwable failure) {
    if (failure instanceof UpstreamException upstream) {
      return upstream;
    }
    String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    boolean timeout = failure instanceof java.util.concurrent.TimeoutException
        || failure.getClass().getSimpleName().contains("Timeout") || reason.toLowerCase(Locale.ROOT).contains("timeout");
    return new UpstreamException(timeout ? UpstreamException.Kind.TIMEOUT : UpstreamException.Kind.CONNECTION,
        where + ": " + reason);
  }
}
