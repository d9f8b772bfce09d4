package dev.switchboard.server.cli;

import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.storage.DataFolderException;
import java.net.BindException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Turns an exception thrown while starting into the one line an operator reads: what could not be
 * used (the address, the folder), why, and the option or action that fixes it. The exception itself
 * goes to the log at DEBUG, not to the console.
 */
final class StartupFailure {

  private StartupFailure() {}

  static String describe(RuntimeException e, GatewayConfig config) {
    if (e instanceof DataFolderException folder) {
      return switch (folder.problem()) {
        case NOT_WRITABLE ->
            folder.getMessage().contains("permission denied")
                ? folder.getMessage()
                    + "; give the user running switchboard ("
                    + System.getProperty("user.name")
                    + ") write access to it (chown, chmod), or choose another folder with"
                    + " --data-dir"
                : folder.getMessage()
                    + "; choose a folder switchboard can create and write with --data-dir";
        case IN_USE ->
            folder.getMessage()
                + "; stop that gateway first, or give this one its own folder with --data-dir"
                + " (two gateways on one folder would under-count spend)";
      };
    }
    if (config.storage().postgres()
        && e instanceof dev.switchboard.core.error.GatewayException g
        && g.getMessage() != null
        && g.getMessage().startsWith("Storage")) {
      return "cannot use PostgreSQL at "
          + config.storage().url().replaceAll("\\?.*$", "")
          + ": "
          + rootMessage(e)
          + "; check storage.url, storage.user and storage.password, and that the server accepts"
          + " connections from this host";
    }
    String address = config.server().host() + ":" + config.server().port();
    String bind = bindProblem(e);
    if (bind != null) {
      String lower = bind.toLowerCase(Locale.ROOT);
      if (lower.contains("address already in use")) {
        return "cannot listen on "
            + address
            + ": the address is already in use (another switchboard, or another program);"
            + " stop it, or choose another port with --port";
      }
      if (lower.contains("cannot assign requested address")) {
        return "cannot listen on "
            + address
            + ": "
            + config.server().host()
            + " is not an address of this machine; choose one with --host (127.0.0.1: this"
            + " machine only)";
      }
      if (lower.contains("permission denied")) {
        return "cannot listen on "
            + address
            + ": permission denied (ports below 1024 need privileges); choose a port above 1023"
            + " with --port";
      }
      return "cannot listen on " + address + ": " + bind + "; check --host and --port";
    }
    if (hasCause(e, UnknownHostException.class)) {
      return "cannot listen on "
          + address
          + ": unknown host "
          + config.server().host()
          + "; choose an address of this machine with --host";
    }
    return "could not start: " + innermostMessage(e);
  }

  /** The message of a failure to bind, found anywhere in the cause chain, or null. */
  private static String bindProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      // Vert.x's native transport reports "bind(..) failed with error(-98): Address already in
      // use" as an IOException of Netty's, the JDK transport as a BindException.
      if (t instanceof BindException
          || (message != null && message.startsWith("bind(") && message.contains("failed"))) {
        String m = message == null ? "" : message;
        int colon = m.lastIndexOf(": ");
        return colon >= 0 ? m.substring(colon + 2) : m;
      }
    }
    return null;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The outer message and, when it differs, what the innermost cause said. */
  /** What the database or the network said, without the wrappers' words. */
  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  private static String innermostMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String outer = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    String inner = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    return root == e || outer.contains(inner) ? outer : outer + " (" + inner + ")";
  }
}
