package io.asyncbridge.poller.topology;

import io.asyncbridge.poller.poll.PollDispatcher;
import io.asyncbridge.poller.poll.PollJob;
import java.util.ArrayList;
import java.util.List;

/** Records the jobs it is given; refuses them while {@code capacity} is used up. */
final class RecordingDispatcher implements PollDispatcher {

  final List<PollJob> jobs = new ArrayList<>();
  int capacity = Integer.MAX_VALUE;

  @Override
  public boolean tryDispatch(PollJob job) {
    if (capacity <= 0) {
      return false;
    }
    capacity--;
    jobs.add(job);
    return true;
  }

  /** Jobs handed over since the last call. */
  List<PollJob> drain() {
    List<PollJob> taken = List.copyOf(jobs);
    jobs.clear();
    return taken;
  }

  @Override
  public void close() {
  }
}
