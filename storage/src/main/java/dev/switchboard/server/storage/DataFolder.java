package dev.switchboard.server.storage;

import dev.switchboard.server.storage.DataFolderException.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data folder of one gateway process: created owner-only (0700, its files 0600, on POSIX file
 * systems; an existing folder is tightened once, with one warning), and locked for the life of the
 * process by {@value #LOCK_FILE_NAME}, so that a second gateway on the same folder refuses to start
 * instead of under-counting spend (each process keeps the usage counters in memory).
 *
 * <p>SQLite creates the {@code -wal} and {@code -shm} files with the permissions of the database
 * file, so the database file is created here, 0600, before SQLite opens it.
 */
final class DataFolder implements AutoCloseable {

  /** Held with an exclusive lock while a gateway uses the folder; holds that process's id. */
  static final String LOCK_FILE_NAME = "switchboard.lock";

  private static final Logger log = LoggerFactory.getLogger(DataFolder.class);
  private static final Set<PosixFilePermission> FOLDER =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private DataFolder(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates the folder if missing, tightens its permissions, takes its lock and creates the empty
   * database file {@code databaseName} if missing. Throws {@link DataFolderException} when the
   * folder cannot be used.
   */
  static DataFolder open(Path dir, String databaseName) {
    Path path = dir.toAbsolutePath().normalize();
    boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
    String step = "creating it";
    try {
      if (!Files.isDirectory(path)) {
        if (path.getParent() != null) {
          Files.createDirectories(path.getParent());
        }
        Files.createDirectory(path);
        if (posix) {
          Files.setPosixFilePermissions(path, FOLDER);
        }
      }
      if (posix) {
        step = "reading its permissions";
        tighten(path, databaseName);
      }
      step = "creating " + LOCK_FILE_NAME;
      FileChannel channel = openFile(path.resolve(LOCK_FILE_NAME), posix);
      FileLock lock = lockOrFail(path, channel);
      try {
        step = "writing " + LOCK_FILE_NAME;
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
        step = "creating " + databaseName;
        Path database = path.resolve(databaseName);
        if (!Files.exists(database)) {
          Files.createFile(database, attributes(posix));
        }
        for (String name : List.of(databaseName, databaseName + "-wal", databaseName + "-shm")) {
          step = "opening " + name;
          requireWritable(path.resolve(name));
        }
      } catch (IOException | RuntimeException e) {
        lock.release();
        channel.close();
        throw e;
      }
      return new DataFolder(path, channel, lock);
    } catch (DataFolderException e) {
      throw e;
    } catch (IOException e) {
      throw new DataFolderException(
          path,
          Problem.NOT_WRITABLE,
          "cannot use data folder " + path + ": " + cause(e) + " (while " + step + ")",
          e);
    }
  }

  /** The folder, absolute. */
  Path path() {
    return path;
  }

  /** Releases the lock; the lock file stays (deleting it would race with a starting gateway). */
  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      log.warn("could not release the lock of {}: {}", path, e.toString());
    }
  }

  private static FileLock lockOrFail(Path path, FileChannel channel) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another gateway in this JVM
    }
    if (lock == null) {
      String holder = holder(channel);
      channel.close();
      throw new DataFolderException(
          path,
          Problem.IN_USE,
          "data folder "
              + path
              + " is in use by another Switchboard gateway"
              + (holder.isEmpty() ? "" : " (pid " + holder + ")"),
          null);
    }
    return lock;
  }

  /** The process id the holder wrote into the lock file, or empty. */
  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      channel.read(buffer, 0);
      String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
      return pid.strip().matches("[0-9]{1,19}") ? pid.strip() : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static FileChannel openFile(Path file, boolean posix) throws IOException {
    return FileChannel.open(
        file,
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
        attributes(posix));
  }

  private static FileAttribute<?>[] attributes(boolean posix) {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
        : new FileAttribute<?>[0];
  }

  /**
   * Takes group and other permissions away from the folder and the gateway's files in it, and says
   * so once: a folder made by an earlier version (or by hand) may be readable by every user.
   */
  private static void tighten(Path path, String databaseName) throws IOException {
    List<String> changed = new ArrayList<>();
    restrict(path, FOLDER, changed);
    for (String name :
        List.of(
            databaseName,
            databaseName + "-wal",
            databaseName + "-shm",
            databaseName + "-journal",
            LOCK_FILE_NAME)) {
      Path file = path.resolve(name);
      if (Files.isRegularFile(file)) {
        restrict(file, FILE, changed);
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    log.atWarn()
        .addKeyValue("folder", path)
        .log(
            "Data folder {} was open to other users; made owner-only: {}",
            path,
            String.join(", ", changed));
  }

  private static void restrict(Path p, Set<PosixFilePermission> allowed, List<String> changed)
      throws IOException {
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(p);
    if (!allowed.containsAll(now)) {
      Set<PosixFilePermission> tightened = EnumSet.noneOf(PosixFilePermission.class);
      tightened.addAll(now);
      tightened.retainAll(allowed);
      try {
        Files.setPosixFilePermissions(p, tightened);
      } catch (FileSystemException e) {
        // Not ours to change (a shared volume): say so, and let the write check decide.
        changed.add(
            p.getFileName()
                + " left "
                + PosixFilePermissions.toString(now)
                + " ("
                + cause(e)
                + ")");
        return;
      }
      changed.add(
          (p.getFileName() == null ? p.toString() : p.getFileName().toString())
              + " "
              + PosixFilePermissions.toString(now)
              + " -> "
              + PosixFilePermissions.toString(tightened));
    }
  }

  private static void requireWritable(Path file) throws AccessDeniedException {
    if (Files.exists(file) && !Files.isWritable(file)) {
      throw new AccessDeniedException(file.toString());
    }
  }

  /** The reason of an I/O failure in a few words: "permission denied", "not a directory". */
  private static String cause(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return e.getMessage() + " exists and is not a folder";
    }
    String reason =
        e instanceof FileSystemException fse && fse.getReason() != null
            ? fse.getReason()
            : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    return reason.isEmpty()
        ? reason
        : reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
  }
}
