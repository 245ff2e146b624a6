package io.asyncbridge.ingest.dispatch;

/** Makes upstream calls off the stream thread; answers come back as {@link DispatchEvent} RESULT records. */
public interface UpstreamDispatcher extends AutoCloseable {

  /**
   * Starts the call unless the job's provider is at its concurrency limit. Never blocks.
   *
   * @return false when there is no capacity now (nothing was sent; try again later)
   */
  boolean tryDispatch(DispatchJob job);

  /** Whether new calls are taken; false once the service is stopping. */
  boolean isAccepting();

  /** Refuses every new call from now on: the service is stopping, the next instance will send them. */
  void stopAccepting();

  /**
   * Waits until no call is in flight and every answer is acknowledged by Kafka, at most {@code timeout}.
   *
   * @return whether it drained in time
   */
  boolean awaitIdle(java.time.Duration timeout);

  /** Whether this process is still working on the job (the call, or writing its answer), or finished it recently. */
  boolean isAccountedFor(DispatchJob job);

  @Override
  void close();
}
