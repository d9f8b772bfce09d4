package dev.switchboard.server.storage;

/**
 * Whether the storage can take new work now, for {@code /health/ready} and for admitting billable
 * requests.
 *
 * @param ready the database answers and the backlog is below its bound
 * @param reason why not (the database's error, or the full backlog); null when ready
 * @param backlog records and charges waiting to be written (kept in memory through an outage)
 * @param maxBacklog the backlog at which new billable requests are refused
 */
public record StorageHealth(boolean ready, String reason, long backlog, long maxBacklog) {

  /** Ready, nothing waiting. */
  public static final StorageHealth OK = new StorageHealth(true, null, 0, Long.MAX_VALUE);

  /** True while new billable requests may be admitted: records of them can still be kept. */
  public boolean accepting() {
    return backlog < maxBacklog;
  }
}
