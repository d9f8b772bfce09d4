package dev.switchboard.bench;

import dev.switchboard.server.Gateway;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.storage.GenerationRecord;
import dev.switchboard.server.storage.KeyKind;
import dev.switchboard.server.storage.Keys;
import dev.switchboard.server.storage.NewKey;
import dev.switchboard.server.storage.Storage;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's API under a large generation log: fills a SQLite data folder with {@code
 * --records} generation records spread over the last 30 days (40 keys, 24 models on 6 providers, 6
 * apps, 4 % failed, latencies from 150 ms to a few seconds), then starts the gateway on it and
 * times, one call at a time, the calls behind the overview page (every range and split) and the
 * activity page (first page, each filter, the third page by cursor), {@code --rounds} times each,
 * after three unmeasured calls. Prints one line per call: p50, p99 and max in milliseconds, and
 * whether p99 is within {@code --target-ms}. Run by {@code bench/dashboard.sh}.
 *
 * <pre>{@code
 * java -cp gateway-all.jar:bench-all.jar dev.switchboard.bench.DashboardQueries \
 *   --data bench/local/dashboard-1000000 --records 1000000 --rounds 50
 * }</pre>
 */
public final class DashboardQueries {

  private static final String MASTER = "sk-sb-mgmt-v1-dashboard-bench-0123456789";

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i], args[i + 1]);
    }
    Path data = Path.of(a.getOrDefault("--data", "bench/local/dashboard"));
    int records = Integer.parseInt(a.getOrDefault("--records", "10000"));
    int rounds = Integer.parseInt(a.getOrDefault("--rounds", "20"));
    long targetMs = Long.parseLong(a.getOrDefault("--target-ms", "300"));
    Files.createDirectories(data);
    Path filled = data.resolve("filled.txt");
    if (!Files.exists(filled) || !Files.readString(filled).trim().equals(String.valueOf(records))) {
      long t0 = System.nanoTime();
      fill(data, records);
      Files.writeString(filled, records + "\n");
      System.out.printf(
          "filled %,d generation records in %.1f s%n", records, (System.nanoTime() - t0) / 1e9);
    } else {
      System.out.printf("reusing %s (%,d records)%n", data, records);
    }
    GatewayConfig config =
        ConfigLoader.load(
            null,
            Map.of("SWITCHBOARD_MASTER_KEY", MASTER),
            new ConfigLoader.Overrides("127.0.0.1", 0, data, true));
    Gateway gw = Gateway.start(config);
    try {
      measure(gw.baseUrl(), rounds, targetMs);
    } finally {
      gw.close();
    }
  }

  static void fill(Path data, int n) {
    String[] providers = {"OpenAI", "Anthropic", "Google", "DeepSeek", "Groq", "Together"};
    String[] apps = {
      null, "https://a.example", "https://b.example", "https://c.example", null, null
    };
    SplittableRandom rnd = new SplittableRandom(42);
    try (Storage s = Storage.sqlite(data)) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String plaintext = Keys.generateInferenceKey();
        keys.add(Keys.hash(plaintext));
        s.keys()
            .create(
                new NewKey(
                    Keys.hash(plaintext),
                    "bench key " + i,
                    Keys.label(plaintext),
                    KeyKind.INFERENCE,
                    null,
                    null,
                    false,
                    null,
                    null));
      }
      long now = System.currentTimeMillis();
      long span = Duration.ofDays(30).toMillis();
      for (int i = 0; i < n; i++) {
        int model = rnd.nextInt(24);
        boolean failed = rnd.nextInt(100) < 4;
        long latency = 150 + (long) (Math.exp(rnd.nextDouble() * 3.5) * 60);
        long prompt = 20 + rnd.nextInt(4000);
        long completion = failed ? 0 : 10 + rnd.nextInt(1000);
        s.generations()
            .record(
                GenerationRecord.builder("gen-bench-" + i)
                    .requestId("req-bench-" + i)
                    .keyHash(keys.get(rnd.nextInt(keys.size())))
                    .model("vendor" + (model % 8) + "/model-" + model)
                    .providerName(providers[model % providers.length])
                    .providerSlug(providers[model % providers.length].toLowerCase())
                    .createdAt(Instant.ofEpochMilli(now - (long) (rnd.nextDouble() * span)))
                    .totalCost(BigDecimal.valueOf(failed ? 0 : prompt * 3 + completion * 15, 9))
                    .streamed(rnd.nextBoolean())
                    .cancelled(false)
                    .latencyMs(latency)
                    .generationTimeMs(latency - 100)
                    .finishReason(failed ? "error" : "stop")
                    .tokensPrompt(prompt)
                    .tokensCompletion(completion)
                    .nativeTokensPrompt(prompt)
                    .nativeTokensCompletion(completion)
                    .httpReferer(apps[rnd.nextInt(apps.length)])
                    .errorStatus(failed ? 502 : null)
                    .errorMessage(failed ? "upstream failed" : null)
                    .providerResponses("[{\"provider_name\":\"x\",\"status\":200,\"latency\":100}]")
                    .routingTrace("{\"summary\":\"served by x\",\"trace\":[]}")
                    .build());
        if (i % 5_000 == 4_999) {
          s.generations().flush(); // bounds the write-behind queue
          if (i % 100_000 == 99_999) {
            System.out.printf("  %,d%n", i + 1);
          }
        }
      }
      s.generations().flush();
    }
  }

  static void measure(String base, int rounds, long targetMs) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String someKey = firstKey(http, base);
    Map<String, String> calls = new LinkedHashMap<>();
    for (String range : new String[] {"24h", "7d", "30d"}) {
      for (String by : new String[] {"model", "provider", "key", "app"}) {
        calls.put(
            "overview " + range + " by " + by, "/dashboard/overview?range=" + range + "&by=" + by);
      }
    }
    calls.put("generations first page", "/dashboard/generations?limit=50");
    calls.put("generations model=", "/dashboard/generations?limit=50&model=vendor3/model-11");
    calls.put("generations provider=", "/dashboard/generations?limit=50&provider=Groq");
    calls.put("generations key=", "/dashboard/generations?limit=50&key=" + someKey);
    calls.put("generations status=error", "/dashboard/generations?limit=50&status=error");
    String dayAgo = Instant.now().minus(Duration.ofDays(1)).toString();
    calls.put(
        "generations from/to (1 h, 1 day ago)",
        "/dashboard/generations?limit=50&from="
            + dayAgo
            + "&to="
            + Instant.parse(dayAgo).plus(Duration.ofHours(1)));
    calls.put("generations page 3 (cursor)", null);
    boolean allWithin = true;
    System.out.printf("%-40s %9s %9s %9s%n", "call", "p50 ms", "p99 ms", "max ms");
    for (Map.Entry<String, String> c : calls.entrySet()) {
      long[] ms = new long[rounds];
      for (int i = -3; i < rounds; i++) {
        String path = c.getValue() == null ? thirdPage(http, base) : c.getValue();
        long t0 = System.nanoTime();
        HttpResponse<String> r = get(http, base + path);
        long took = (System.nanoTime() - t0) / 1_000_000;
        if (r.statusCode() != 200) {
          throw new IllegalStateException(c.getKey() + ": " + r.statusCode() + " " + r.body());
        }
        if (i >= 0) {
          ms[i] = took;
        }
      }
      Arrays.sort(ms);
      long p50 = ms[(int) Math.ceil(0.5 * rounds) - 1];
      long p99 = ms[(int) Math.ceil(0.99 * rounds) - 1];
      allWithin &= p99 <= targetMs;
      System.out.printf(
          "%-40s %9d %9d %9d %s%n",
          c.getKey(), p50, p99, ms[rounds - 1], p99 <= targetMs ? "" : "over " + targetMs);
    }
    System.out.println(
        allWithin ? "every p99 within " + targetMs + " ms" : "some p99 over " + targetMs + " ms");
  }

  private static final Pattern CURSOR = Pattern.compile("\"next_cursor\":\"([^\"]+)\"");
  private static final Pattern KEY = Pattern.compile("\"hash\":\"([0-9a-f]{64})\"");

  /** The path of the third page, following the cursors of the first two (not timed). */
  static String thirdPage(HttpClient http, String base) throws Exception {
    String path = "/dashboard/generations?limit=50";
    for (int i = 0; i < 2; i++) {
      Matcher m = CURSOR.matcher(get(http, base + path).body());
      if (!m.find()) {
        return path;
      }
      path =
          "/dashboard/generations?limit=50&cursor="
              + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
    }
    return path;
  }

  static String firstKey(HttpClient http, String base) throws Exception {
    Matcher m = KEY.matcher(get(http, base + "/keys").body());
    if (!m.find()) {
      throw new IllegalStateException("no inference key in the data folder");
    }
    return m.group(1);
  }

  static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("authorization", "Bearer " + MASTER)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
