package dev.switchboard.server.storage;

/**
 * Counters of the write-behind queue, for metrics and health checks. All counts are since open.
 *
 * @param backlog operations waiting to be written now
 * @param enqueued operations accepted (generation records and usage charges)
 * @param written operations committed
 * @param batches transactions committed for them
 * @param spilled operations accepted while the backlog was above the queue capacity (a warning
 *     sign: the disk does not keep up)
 * @param dropped operations refused because the backlog hit its hard maximum (logged at ERROR)
 * @param failed operations the database refused even when retried alone (logged at ERROR)
 * @param rejected operations offered after close (logged at WARN)
 */
public record WriteBehindStats(
    long backlog,
    long enqueued,
    long written,
    long batches,
    long spilled,
    long dropped,
    long failed,
    long rejected) {

  /** No activity. */
  public static final WriteBehindStats EMPTY = new WriteBehindStats(0, 0, 0, 0, 0, 0, 0, 0);
}
