package dev.switchboard.server.storage;

import java.nio.file.Path;

/**
 * The data folder cannot be used: it cannot be created or written, or another gateway holds it. The
 * message is one line naming the folder and the cause; {@link #problem()} tells the caller which
 * fix to suggest.
 */
public final class DataFolderException extends RuntimeException {

  /** What is wrong with the folder. */
  public enum Problem {
    /** It cannot be created, opened or written (permissions, not a folder, read-only disk). */
    NOT_WRITABLE,
    /** Another process (or another gateway in this process) holds its lock. */
    IN_USE
  }

  private final Path folder;
  private final Problem problem;

  DataFolderException(Path folder, Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.folder = folder;
    this.problem = problem;
  }

  /** The folder, absolute. */
  public Path folder() {
    return folder;
  }

  public Problem problem() {
    return problem;
  }
}
