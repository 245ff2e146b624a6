package io.asyncbridge.core.observability;

import io.micrometer.core.instrument.Gauge;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gauge {@value #NAME} ({@code service}, {@code provider}, {@code mode}): tasks a service follows right now.
 * Kafka Streams processors keep it exact without reading the store on every change: each stream task counts its
 * store once when it is assigned (a scan, cheaper than the restore that precedes it), then adds and removes tasks as
 * they come and go, and takes its share out when it is closed (revoked, migrated, aborted and re-created).
 */
public final class InFlightTasks {

  public static final String NAME = "bridge.tasks.in.flight";

  private final ServiceMeters meters;
  private final Map<String, AtomicLong> byProvider = new ConcurrentHashMap<>();

  InFlightTasks(ServiceMeters meters) {
    this.meters = meters;
    meters.providers().forEach(this::gauge);
  }

  private AtomicLong gauge(String provider) {
    return byProvider.computeIfAbsent(meters.provider(provider), tag -> {
      AtomicLong count = new AtomicLong();
      Gauge.builder(NAME, count, AtomicLong::get).tags(meters.tags(tag)).strongReference(true)
          .description("tasks this service follows now (exact; counted per stream task)")
          .register(meters.registry());
      return count;
    });
  }

  /** The count of one provider now, across every stream task of this process. */
  public long count(String provider) {
    AtomicLong count = byProvider.get(meters.provider(provider));
    return count == null ? 0 : count.get();
  }

  /** A new share, for one processor instance (one stream task). */
  public Share share() {
    return new Share();
  }

  /** One stream task's part of the count. Used from that task's stream thread only. */
  public final class Share implements AutoCloseable {

    private final Map<String, long[]> mine = new HashMap<>();

    public void add(String provider) {
      change(provider, 1);
    }

    public void remove(String provider) {
      change(provider, -1);
    }

    private void change(String provider, long delta) {
      String tag = meters.provider(provider);
      mine.computeIfAbsent(tag, ignored -> new long[1])[0] += delta;
      gauge(tag).addAndGet(delta);
    }

    /** Takes this share out of the gauge: its tasks are now counted by whichever instance owns them. */
    @Override
    public void close() {
      mine.forEach((tag, count) -> gauge(tag).addAndGet(-count[0]));
      mine.clear();
    }
  }
}
