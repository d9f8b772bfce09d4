package dev.switchboard.server.storage;

import java.time.LocalDate;

/** Tokens one app used with one model on one UTC day (the rankings). */
public record AppUsageRow(
    LocalDate day,
    long appId,
    String referer,
    String title,
    String model,
    long requests,
    long promptTokens,
    long completionTokens) {

  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
