package io.asyncbridge.callbacks.http;

import java.time.Duration;

/**
 * Counts webhooks handed to the sink and not answered yet, and whether new ones are still taken: on shutdown the
 * endpoint stops accepting (503, so senders retry elsewhere or later) and waits for the answers it owes.
 */
public final class InFlightWebhooks {

  private int inFlight;
  private boolean accepting = true;

  /** Counts one webhook in, or returns false when no longer accepting. */
  public synchronized boolean tryEnter() {
    if (!accepting) {
      return false;
    }
    inFlight++;
    return true;
  }

  public synchronized void exit() {
    inFlight--;
    if (inFlight == 0) {
      notifyAll();
    }
  }

  public synchronized int count() {
    return inFlight;
  }

  public synchronized void stopAccepting() {
    accepting = false;
  }

  /** Waits until every counted webhook got its answer; returns false on timeout. Never call from an event loop. */
  public synchronized boolean awaitDrained(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
