package io.asyncbridge.benchmarks.poller;

import io.asyncbridge.benchmarks.support.BenchConfigs;
import io.asyncbridge.core.config.BridgeConfig;
import io.asyncbridge.core.config.PollPolicy;
import io.asyncbridge.core.observability.ServiceMeters;
import io.asyncbridge.core.schedule.TaskSchedule;
import io.asyncbridge.core.upstream.Backoff;
import io.asyncbridge.poller.http.HttpPollDispatcher;
import io.asyncbridge.poller.poll.PollAnswerQueue;
import io.asyncbridge.poller.poll.PollJob;
import io.asyncbridge.poller.poll.PollObservation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The HTTP ceiling for polling on the machine of the day: the poller's own HTTP dispatcher (the same Vert.x client,
 * classifier and {@code poll.concurrency}) driven by one thread that does what the poller's punctuator does, every
 * 10 ms, with the same in-memory schedule and the same jittered interval, but without Kafka and without a store.
 * What the poller reaches beyond this is what its durability costs.
 */
final class BarePollLoop implements AutoCloseable {

  private static final long TICK_MS = 10;
  private static final int MAX_DUE_PER_TICK = 2_000;

  private final BridgeConfig config;
  private final String prefix;
  private final String notificationBase;
  private final int tasks;
  private final Vertx vertx = Vertx.vertx();
  private final HttpPollDispatcher dispatcher;
  private final PollAnswerQueue answers;
  private final TaskSchedule schedule;
  private final Backoff interval;
  private final long leaseMs;
  private final Thread thread;
  private volatile boolean running = true;

  /** @param notificationBase the upstream's notification URL without the task id */
  BarePollLoop(BridgeConfig config, String prefix, String notificationBase, int tasks) {
    this.config = config;
    this.prefix = prefix;
    this.notificationBase = notificationBase;
    this.tasks = tasks;
    PollPolicy policy = config.provider(BenchConfigs.PROVIDER).orElseThrow().poll();
    this.dispatcher = new HttpPollDispatcher(config, vertx, Clock.systemUTC(),
        new ServiceMeters(new SimpleMeterRegistry(), "poller", config));
    this.answers = new PollAnswerQueue(policy.concurrency() + 64);
    this.schedule = new TaskSchedule(1, tasks);
    this.interval = new Backoff(policy.initialInterval(), policy.multiplier(), policy.maxInterval(), policy.jitter());
    this.leaseMs = policy.requestTimeout().toMillis() + 2_000;
    this.thread = new Thread(this::run, "bare-poll-loop");
    this.thread.setDaemon(true);
  }

  /** Starts polling; the first polls are spread over one interval, as the poller's are. */
  void start() {
    long now = System.currentTimeMillis();
    long intervalMs = config.provider(BenchConfigs.PROVIDER).orElseThrow().poll().initialInterval().toMillis();
    for (int i = 0; i < tasks; i++) {
      schedule.schedule(prefix + i, 0, now + (long) i * intervalMs / tasks);
    }
    thread.start();
  }

  private void run() {
    while (running) {
      long now = System.currentTimeMillis();
      answers.drain(this::answered, Integer.MAX_VALUE);
      for (int started = 0; started < MAX_DUE_PER_TICK && schedule.nextDueAt(0) <= now; started++) {
        String taskId = schedule.peek(0);
        int attempt = (schedule.tag(taskId) >>> 1) + 1;
        if (!dispatcher.tryDispatch(new PollJob(taskId, attempt, BenchConfigs.PROVIDER, notificationBase + taskId,
            answers))) {
          schedule.schedule(taskId, 0, now + TICK_MS);
          break;
        }
        schedule.setTag(taskId, attempt << 1 | 1);
        schedule.schedule(taskId, 0, now + leaseMs);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MS));
    }
  }

  private void answered(PollObservation answer) {
    int tag = schedule.tag(answer.taskId());
    if ((tag & 1) == 0 || tag >>> 1 != answer.attempt()) {
      return;
    }
    schedule.setTag(answer.taskId(), tag & ~1);
    schedule.schedule(answer.taskId(), 0, System.currentTimeMillis()
        + interval.delay(0, ThreadLocalRandom.current()).toMillis());
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dispatcher.close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the benchmark goes on; a Vert.x instance that did not close in time only holds daemon threads
    }
  }
}
