package dev.switchboard.server.logging;

import ch.qos.logback.classic.jul.LevelChangePropagator;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sends java.util.logging (and so {@code System.Logger}, which libraries such as Caffeine and the
 * JDK itself log through) into logback, so that no plain-text line from the JDK's console handler
 * slips between the JSON lines. Declared as a context listener in logback.xml; as a {@link
 * LevelChangePropagator} it also copies logback's levels to JUL, so disabled levels cost nothing.
 */
public final class JulBridge extends LevelChangePropagator {

  @Override
  public void start() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    setResetJUL(true);
    super.start();
  }
}
