package dev.switchboard.server.logging;

/** Gives logback.xml the appender name of the current {@link LogFormat} ({@code <define>}). */
public final class LogFormatDefiner extends ch.qos.logback.core.PropertyDefinerBase {
  @Override
  public String getPropertyValue() {
    return LogFormat.current().appender();
  }
}
