package io.asyncbridge.callbacks.http;

import io.asyncbridge.core.http.HttpError;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bound on the time a webhook's body may take to arrive. The HTTP server has no read timeout of its own, and an idle
 * timeout does not help against a client that sends one byte every few seconds: such a client would hold its request
 * open for as long as it likes. The deadline starts when the request's headers are in; when the body is not complete
 * by then, the answer is 408 and the connection is closed. Other requests are never affected: nothing blocks.
 */
public final class BodyReadDeadline {

  private static final Logger LOG = LoggerFactory.getLogger(BodyReadDeadline.class);
  private static final String TIMER_KEY = "callbacks.bodyDeadline";

  private final Duration timeout;

  public BodyReadDeadline(Duration timeout) {
    this.timeout = timeout;
  }

  /** First handler of a webhook route: arms the deadline, cancelled when the body is read or the request ends. */
  public void arm(RoutingContext ctx) {
    long timer = ctx.vertx().setTimer(Math.max(1, timeout.toMillis()), id -> expire(ctx));
    ctx.put(TIMER_KEY, timer);
    ctx.addEndHandler(ended -> ctx.vertx().cancelTimer(timer));
    ctx.next();
  }

  /** After the body handler: the body is in, so the deadline no longer applies (the Kafka acknowledgement has its own). */
  public static void bodyRead(RoutingContext ctx) {
    Long timer = ctx.get(TIMER_KEY);
    if (timer != null) {
      ctx.vertx().cancelTimer(timer);
    }
    ctx.next();
  }

  private void expire(RoutingContext ctx) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    // The route pattern only: a per-task path carries the callback token.
    LOG.warn("webhook refused: body not complete within {} ms (provider {})", timeout.toMillis(),
        ctx.pathParam("provider"));
    ctx.response().endHandler(ended -> ctx.request().connection().close());
    ctx.fail(new HttpError(408, "body_timeout", "the body did not arrive within " + timeout.toMillis()
        + " ms; send the whole webhook at once"));
  }
}
