package io.asyncbridge.poller.poll;

/**
 * Sends polls on behalf of the topology. Called on a stream thread: it must never block. The answer to a job
 * arrives later as a {@link PollObservation} on the poll observations topic, in the job's partition; a job that
 * gets lost (a crash, Kafka unavailable) is simply polled again when its lease expires, since polls are reads.
 */
public interface PollDispatcher extends AutoCloseable {

  /**
   * Takes the job if the provider has a free slot; returns false (and does nothing) when it is at its concurrency
   * limit, so the topology keeps the task due and tries again on a later tick.
   */
  boolean tryDispatch(PollJob job);

  /** Stops sending; answers still in flight may be dropped (their tasks are polled again). */
  @Override
  void close();
}
