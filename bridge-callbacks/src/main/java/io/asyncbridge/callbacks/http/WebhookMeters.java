package io.asyncbridge.callbacks.http;

import io.asyncbridge.core.observability.ServiceMeters;
import io.micrometer.core.instrument.Counter;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The counter {@value #ANSWERS} ({@code provider}, {@code status}): every answer of the webhook routes, 202 and
 * refusals alike, counted when its headers are written. The provider tag is a configured provider's name or
 * {@code unknown} (the path is the sender's to choose), the status one of at most 600 codes; counters are created on
 * first use and then only read.
 */
public final class WebhookMeters {

  public static final String ANSWERS = "bridge.webhook.answers";
  private static final String PREFIX = "/callbacks/";

  private final ServiceMeters meters;
  private final Map<String, AtomicReferenceArray<Counter>> byProvider = new HashMap<>();

  public WebhookMeters(ServiceMeters meters) {
    this.meters = meters;
    for (String provider : meters.providers()) {
      byProvider.put(provider, new AtomicReferenceArray<>(600));
    }
    byProvider.put(ServiceMeters.UNKNOWN, new AtomicReferenceArray<>(600));
  }

  /** First handler of the webhook routes: counts the answer once it is given. */
  public void track(RoutingContext ctx) {
    String provider = providerOf(ctx.normalizedPath());
    ctx.addHeadersEndHandler(ignored -> answered(provider, ctx.response().getStatusCode()));
    ctx.next();
  }

  void answered(String provider, int status) {
    AtomicReferenceArray<Counter> counters = byProvider.get(meters.provider(provider));
    int index = status >= 100 && status < 600 ? status : 0;
    Counter counter = counters.get(index);
    if (counter == null) {
      counters.compareAndSet(index, null, Counter.builder(ANSWERS).tag("service", meters.service())
          .tag("provider", meters.provider(provider)).tag("status", Integer.toString(index))
          .description("answers of the webhook endpoint, by HTTP status").register(meters.registry()));
      counter = counters.get(index);
    }
    counter.increment();
  }

  /** For tests. */
  public double count(String provider, int status) {
    Counter counter = byProvider.get(meters.provider(provider)).get(status);
    return counter == null ? 0 : counter.count();
  }

  private static String providerOf(String path) {
    if (path == null || !path.startsWith(PREFIX)) {
      return null;
    }
    int end = path.indexOf('/', PREFIX.length());
    return path.substring(PREFIX.length(), end < 0 ? path.length() : end);
  }
}
