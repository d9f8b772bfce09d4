package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Latency of the record queries with a large table behind them (bench/records.sh fills it): {@code
 * GET /generation?id=} for random ids of the {@code gen-bench-<n>} records, and {@code GET
 * /activity} (the daily roll-up) and {@code GET /activity?api_key_hash=}, sequentially over one
 * connection, after a warm-up. Prints p50/p99/max per query and whether p99 is within the target.
 *
 * <pre>
 * java -cp switchboard-bench-all.jar dev.switchboard.bench.RecordQueries \
 *     BASE_URL INFERENCE_KEY MANAGEMENT_KEY KEY_HASH RECORDS [REQUESTS 2000] [TARGET_P99_MS 50]
 * </pre>
 */
public final class RecordQueries {

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String key = args[1];
    String management = args[2];
    String keyHash = args[3];
    long records = Long.parseLong(args[4]);
    int requests = args.length > 5 ? Integer.parseInt(args[5]) : 2_000;
    long targetMs = args.length > 6 ? Long.parseLong(args[6]) : 50;
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    boolean ok = true;
    ok &=
        measure(
            http,
            "generation",
            requests,
            key,
            () ->
                base + "/generation?id=gen-bench-" + ThreadLocalRandom.current().nextLong(records),
            targetMs);
    ok &= measure(http, "activity", requests / 4, management, () -> base + "/activity", targetMs);
    ok &=
        measure(
            http,
            "activity-key",
            requests / 4,
            management,
            () -> base + "/activity?api_key_hash=" + keyHash,
            targetMs);
    System.exit(ok ? 0 : 1);
  }

  private static boolean measure(
      HttpClient http,
      String name,
      int n,
      String key,
      java.util.function.Supplier<String> url,
      long targetMs)
      throws Exception {
    Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    for (int i = 0; i < n + n / 10; i++) {
      long t = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url.get()))
                  .header("Authorization", "Bearer " + key)
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long us = (System.nanoTime() - t) / 1_000;
      if (r.statusCode() != 200) {
        throw new IllegalStateException(name + ": " + r.statusCode() + " " + r.body());
      }
      if (i >= n / 10) {
        h.recordValue(us);
      }
    }
    double p99 = h.getValueAtPercentile(99) / 1000.0;
    boolean ok = p99 <= targetMs;
    System.out.printf(
        "%-13s n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms %s%n",
        name,
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        p99,
        h.getMaxValue() / 1000.0,
        ok ? "(p99 within " + targetMs + " ms)" : "(p99 ABOVE " + targetMs + " ms)");
    return ok;
  }

  private RecordQueries() {}
}
