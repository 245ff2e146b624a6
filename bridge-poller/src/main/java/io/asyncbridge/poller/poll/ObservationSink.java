package io.asyncbridge.poller.poll;

/** Where a dispatcher delivers the answers to its polls; the real one writes to the observations topic. */
public interface ObservationSink extends AutoCloseable {

  /** Delivers without blocking; a lost delivery only costs a repeated poll. */
  void publish(PollJob job, PollObservation observation);

  @Override
  void close();
}
