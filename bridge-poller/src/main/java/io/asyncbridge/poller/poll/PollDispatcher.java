package io.asyncbridge.poller.poll;

/**
 * Sends polls on behalf of the topology. Called on a stream thread: it must never block. The answer to a job is
 * offered to the job's {@link PollAnswerQueue}; a job whose answer gets lost (a crash, a revoked partition) is simply
 * polled again when its lease expires, since polls are reads.
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
