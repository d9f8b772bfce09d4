package dev.switchboard.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the simulator keeps per provider: its fault script, its timing override, its last requests
 * and its counters. Shared by all event loops; every method is thread-safe.
 */
final class ProviderState {

  private final String name;
  private final ArrayDeque<Scripted> faults = new ArrayDeque<>();
  private final RecordedRequest[] ring;
  private int ringNext;
  private int ringSize;
  private volatile Latency latency;
  private final LongAdder requests = new LongAdder();
  private final LongAdder faulted = new LongAdder();

  ProviderState(String name, int recorded) {
    this.name = name;
    this.ring = new RecordedRequest[recorded];
  }

  String name() {
    return name;
  }

  /** The timing set at run time, or null to use the configured one. */
  Latency latency() {
    return latency;
  }

  void latency(Latency latency) {
    this.latency = latency;
  }

  synchronized void addFault(Fault fault) {
    faults.addLast(new Scripted(fault));
  }

  synchronized void clearFaults() {
    faults.clear();
  }

  /** The queued faults, each with its remaining count. */
  synchronized List<Fault> faults() {
    List<Fault> out = new ArrayList<>(faults.size());
    for (Scripted s : faults) {
      out.add(s.fault.times(s.remaining));
    }
    return out;
  }

  /** Takes one use of the first queued fault, or returns null when there is none. */
  synchronized Fault takeFault() {
    Scripted first = faults.peekFirst();
    if (first == null) {
      return null;
    }
    if (first.remaining != Fault.UNTIL_CLEARED && --first.remaining == 0) {
      faults.removeFirst();
    }
    return first.fault;
  }

  void countRequest() {
    requests.increment();
  }

  void countFault() {
    faulted.increment();
  }

  long requestCount() {
    return requests.sum();
  }

  long faultCount() {
    return faulted.sum();
  }

  void record(RecordedRequest request) {
    if (ring.length == 0) {
      return;
    }
    synchronized (ring) {
      ring[ringNext] = request;
      ringNext = (ringNext + 1) % ring.length;
      ringSize = Math.min(ringSize + 1, ring.length);
    }
  }

  /** Up to {@code limit} of the last requests, oldest first. */
  List<RecordedRequest> requests(int limit) {
    synchronized (ring) {
      int n = Math.min(limit, ringSize);
      List<RecordedRequest> out = new ArrayList<>(n);
      for (int i = n; i > 0; i--) {
        out.add(ring[Math.floorMod(ringNext - i, ring.length)]);
      }
      return out;
    }
  }

  /** A queued fault and its uses left ({@link Fault#UNTIL_CLEARED} for unlimited). */
  private static final class Scripted {
    final Fault fault;
    int remaining;

    Scripted(Fault fault) {
      this.fault = fault;
      this.remaining = fault.count();
    }
  }
}
