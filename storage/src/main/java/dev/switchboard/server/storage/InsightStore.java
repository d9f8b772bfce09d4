package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the dashboard reads from the generation records: aggregates over a time window (spend,
 * tokens, requests and errors per hour or day and per model, provider, key or app; latency
 * percentiles) and the generation log, filtered and paged by a cursor. Both are answered by the
 * database with indexes (V6), so they stay fast with millions of records; neither loads the records
 * themselves. Every method may do I/O (worker threads). Records still in the write-behind queue
 * appear once written (tens of milliseconds).
 */
public interface InsightStore {

  /** The width of a chart bucket; buckets start at whole UTC hours or days. */
  enum Bucket {
    HOUR(3_600_000_000L),
    DAY(86_400_000_000L);

    private final long micros;

    Bucket(long micros) {
      this.micros = micros;
    }

    public long micros() {
      return micros;
    }
  }

  /** What a chart's series are split by. */
  enum Dimension {
    MODEL,
    PROVIDER,
    KEY,
    APP
  }

  /**
   * One bucket of one series.
   *
   * @param group the model id, provider name, key hash or app ({@code HTTP-Referer}, else the app
   *     title); empty when the records have none (no provider answered, no app named)
   * @param promptTokens prompt tokens in the provider's tokenizer (the billing basis)
   */
  record Point(
      Instant start,
      String group,
      long requests,
      long errors,
      long promptTokens,
      long completionTokens,
      BigDecimal cost) {}

  /**
   * Requests, errors and latency percentiles (nearest rank, exact) of one bucket, or of the whole
   * window when {@code start} is null. The percentiles are null when there were no requests.
   */
  record Latency(Instant start, long requests, long errors, Long p50Ms, Long p95Ms) {}

  /** The aggregates of a window: the series points, latency per bucket, and the window's totals. */
  record Overview(
      List<Point> points, List<Latency> latency, Latency total, BigDecimal cost, long tokens) {
    public Overview {
      points = List.copyOf(points);
      latency = List.copyOf(latency);
    }
  }

  /**
   * Filters of the generation log; null fields do not filter. {@code failed}: true for failed
   * generations only, false for successful ones only. The window is {@code from} (inclusive) to
   * {@code to} (exclusive).
   */
  record Filter(
      String keyHash, String model, String provider, Boolean failed, Instant from, Instant to) {
    public static final Filter NONE = new Filter(null, null, null, null, null, null);
  }

  /** One line of the generation log. */
  record Summary(
      String id,
      Instant createdAt,
      String keyHash,
      String model,
      String providerName,
      Integer errorStatus,
      long latencyMs,
      BigDecimal cost,
      Long promptTokens,
      Long completionTokens,
      boolean streamed,
      boolean cancelled,
      String finishReason) {}

  /**
   * A page of the log, newest first; {@code next} is the cursor of the following page, null on the
   * last one.
   */
  record Page(List<Summary> rows, Cursor next) {
    public Page {
      rows = List.copyOf(rows);
    }
  }

  /**
   * Where a page starts: just after (older than) the record created at {@code createdAt} with id
   * {@code id}. Its text form is {@code <epoch microseconds>:<id>}.
   */
  record Cursor(Instant createdAt, String id) {
    public Cursor {
      Objects.requireNonNull(createdAt, "createdAt");
      Objects.requireNonNull(id, "id");
    }

    @Override
    public String toString() {
      return SqlValues.micros(createdAt) + ":" + id;
    }

    /** Reads the text form; throws {@link IllegalArgumentException} when it is not one. */
    public static Cursor parse(String text) {
      int colon = text.indexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        throw new IllegalArgumentException("not a cursor");
      }
      try {
        return new Cursor(
            SqlValues.instant(Long.parseLong(text.substring(0, colon))), text.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a cursor", e);
      }
    }
  }

  /** The aggregates of the records created in {@code [from, to)}, split by {@code by}. */
  Overview overview(Instant from, Instant to, Bucket bucket, Dimension by);

  /** Up to {@code limit} records matching {@code filter}, newest first, after {@code after}. */
  Page generations(Filter filter, Cursor after, int limit);
}
