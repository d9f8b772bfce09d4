package dev.switchboard.bench;

import dev.switchboard.server.Gateway;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.storage.GenerationRecord;
import dev.switchboard.server.storage.KeyKind;
import dev.switchboard.server.storage.Keys;
import dev.switchboard.server.storage.NewKey;
import dev.switchboard.server.storage.PostgresSettings;
import dev.switchboard.server.storage.Storage;
import dev.switchboard.server.storage.StorageOptions;
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
 * The record and dashboard queries under a large generation log: fills a SQLite data folder (or,
 * with {@code --postgres URL}, a PostgreSQL database) with {@code --records} generation records
 * spread over the last 30 days (40 keys, 24 models on 6 providers, 6 apps, 4 % failed, latencies
 * from 150 ms to a few seconds) through the storage's own write path (the record writer, its
 * batches and roll-ups), printing the rate the writer sustained per 100,000 records; with {@code
 * --append N}, writes N more records on top and prints the writer's rate per second of wall time
 * and per second of CPU time; then starts the gateway on it and times, one call at a time, {@code
 * GET /generation?id=} (random ids of one key), {@code GET /activity} (all keys, one key), the
 * calls behind the dashboard's overview page (every range and split) and its activity page (first
 * page, each filter, the third page by cursor), {@code --rounds} times each after three unmeasured
 * calls. Prints one line per call: p50, p99 and max in milliseconds, and whether p99 is within its
 * target ({@code --target-ms} for the dashboard, {@code --records-target-ms} for /generation and
 * /activity). Run by {@code bench/dashboard.sh}.
 *
 * <pre>{@code
 * java -cp gateway-all.jar:bench-all.jar dev.switchboard.bench.DashboardQueries \
 *   --data bench/local/dashboard-1000000 --records 1000000 --rounds 200 \
 *   [--append 50000] [--calls REGEX] [--postgres jdbc:postgresql://127.0.0.1:5432/db --pg-user postgres]
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
    long recordsTargetMs = Long.parseLong(a.getOrDefault("--records-target-ms", "50"));
    only = Pattern.compile(a.getOrDefault("--calls", ".*"));
    String postgres = a.get("--postgres");
    String pgUser = a.getOrDefault("--pg-user", "postgres");
    Files.createDirectories(data);
    Path filled = data.resolve("filled.txt");
    String done = records + (postgres == null ? "" : " " + postgres);
    if (!Files.exists(filled) || !Files.readString(filled).trim().equals(done)) {
      long t0 = System.nanoTime();
      Storage storage =
          postgres == null
              ? Storage.sqlite(data)
              : Storage.postgres(
                  PostgresSettings.of(postgres, pgUser, null), StorageOptions.defaults());
      String key =
          a.getOrDefault("--seed", "sql").equals("sql")
              ? seedSql(
                  storage,
                  records,
                  postgres != null ? postgres : "jdbc:sqlite:" + data.resolve("switchboard.db"),
                  pgUser)
              : fill(storage, records);
      Files.writeString(data.resolve("key.txt"), key + "\n");
      Files.writeString(filled, done + "\n");
      System.out.printf(
          "filled %,d generation records in %.1f s%n", records, (System.nanoTime() - t0) / 1e9);
    } else {
      System.out.printf("reusing %s (%,d records)%n", postgres == null ? data : postgres, records);
    }
    int append = Integer.parseInt(a.getOrDefault("--append", "0"));
    if (append > 0) {
      try (Storage storage =
          postgres == null
              ? Storage.sqlite(data)
              : Storage.postgres(
                  PostgresSettings.of(postgres, pgUser, null), StorageOptions.defaults())) {
        appendRate(storage, append);
      }
    }
    // What the gateway's compaction thread does in the background (the past's latency histograms
    // packed, ADR 0013): done here before the calls are timed, as on a gateway running for a while.
    try (Storage storage =
        postgres == null
            ? Storage.sqlite(data)
            : Storage.postgres(
                PostgresSettings.of(postgres, pgUser, null), StorageOptions.defaults())) {
      long t0 = System.nanoTime();
      int packed = storage.compactDashboard();
      System.out.printf(
          "packed the latency histograms of %,d closed hours and days in %.1f s%n",
          packed, (System.nanoTime() - t0) / 1e9);
    }
    String key = Files.readString(data.resolve("key.txt")).trim();
    Path yaml = data.resolve("bench.yaml");
    Files.writeString(
        yaml,
        postgres == null
            ? "log: {access: false}\n"
            : "log: {access: false}\nstorage: {kind: postgres, url: \""
                + postgres
                + "\", user: "
                + pgUser
                + "}\n");
    GatewayConfig config =
        ConfigLoader.load(
            yaml,
            Map.of("SWITCHBOARD_MASTER_KEY", MASTER),
            new ConfigLoader.Overrides("127.0.0.1", 0, data, true));
    Gateway gw = Gateway.start(config);
    try {
      measure(gw.baseUrl(), key, records, rounds, targetMs, recordsTargetMs);
    } finally {
      gw.close();
    }
  }

  /**
   * Writes {@code n} records through the storage's write path and closes it; returns the plaintext
   * of key 0, whose records are the ones {@code i % 40 == 0}.
   */
  static String fill(Storage storage, int n) {
    String[] providers = {"OpenAI", "Anthropic", "Google", "DeepSeek", "Groq", "Together"};
    String[] apps = {
      null, "https://a.example", "https://b.example", "https://c.example", null, null
    };
    SplittableRandom rnd = new SplittableRandom(42);
    String first = null;
    try (Storage s = storage) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String plaintext = Keys.generateInferenceKey();
        keys.add(Keys.hash(plaintext));
        first = first == null ? plaintext : first;
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
      long chunk = System.nanoTime();
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
                    .keyHash(keys.get(i % keys.size()))
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
            long now2 = System.nanoTime();
            System.out.printf(
                "  %,d written; the last 100,000 at %,.0f records/s%n",
                i + 1, 100_000 / ((now2 - chunk) / 1e9));
            chunk = now2;
          }
        }
      }
      s.generations().flush();
    }
    return first;
  }

  /**
   * Fast: the same kind of records as {@link #fill} (another random draw; on SQLite latencies from
   * 150 ms to about 2 s by a product of two uniform draws), inserted by one statement over a series
   * ({@code generate_series}, a recursive CTE on SQLite), then the roll-ups the record writer keeps
   * (usage per day, key, model, provider and app; the apps; V12's and V13's) rebuilt from them with
   * the migrations' own backfill statements. Minutes instead of the writer's hour; returns the
   * plaintext of key 0.
   */
  static String seedSql(Storage storage, int n, String url, String user) throws Exception {
    List<String> hashes = new ArrayList<>();
    String first = null;
    try (Storage s = storage) {
      for (int i = 0; i < 40; i++) {
        String plaintext = Keys.generateInferenceKey();
        first = first == null ? plaintext : first;
        hashes.add(Keys.hash(plaintext));
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
    }
    long nowUs = System.currentTimeMillis() * 1000;
    long spanUs = Duration.ofDays(30).toMillis() * 1000;
    boolean pg = url.startsWith("jdbc:postgresql:");
    StringBuilder keys = new StringBuilder("CASE g % 40");
    for (int i = 0; i < 40; i++) {
      keys.append(" WHEN ").append(i).append(" THEN '").append(hashes.get(i)).append("'");
    }
    keys.append(" END");
    // Per row: m model 0..23 (provider m % 6), f failed (4 %), lat, prompt, completion, app 0..5,
    // at (microseconds before now), st streamed. Random draws: PostgreSQL's random() in [0, 1),
    // SQLite's a 64-bit integer (abs(random()) % n).
    String draws =
        pg
            ? "floor(random() * 24)::int AS m, random() < 0.04 AS f,"
                + " 150 + floor(exp(random() * 3.5) * 60)::bigint AS lat,"
                + " 20 + floor(random() * 4000)::bigint AS prompt,"
                + " 10 + floor(random() * 1000)::bigint AS completion,"
                + " floor(random() * 6)::int AS app, floor(random() * "
                + spanUs
                + ")::bigint AS at, random() < 0.5 AS st FROM generate_series(0, "
                + (n - 1)
                + ") AS g"
            : "abs(random()) % 24 AS m, abs(random()) % 100 < 4 AS f,"
                + " 150 + (abs(random()) % 45) * (abs(random()) % 45) AS lat,"
                + " 20 + abs(random()) % 4000 AS prompt, 10 + abs(random()) % 1000 AS completion,"
                + " abs(random()) % 6 AS app, abs(random()) % "
                + spanUs
                + " AS at, abs(random()) % 2 AS st FROM series";
    // SQLite would flatten the draws' subquery into the insert and draw again at every use of a
    // column (a model and its provider from different draws): the draws are materialized first.
    String series =
        pg
            ? ""
            : "WITH RECURSIVE series(g) AS (SELECT 0 UNION ALL SELECT g + 1 FROM series WHERE g < "
                + (n - 1)
                + "), s AS MATERIALIZED (SELECT g, "
                + draws
                + ") ";
    String provider =
        "CASE m % 6 WHEN 0 THEN 'OpenAI' WHEN 1 THEN 'Anthropic' WHEN 2 THEN 'Google'"
            + " WHEN 3 THEN 'DeepSeek' WHEN 4 THEN 'Groq' ELSE 'Together' END";
    String app =
        "CASE app WHEN 1 THEN 'https://a.example' WHEN 2 THEN 'https://b.example'"
            + " WHEN 3 THEN 'https://c.example' END";
    String day =
        pg
            ? "(to_timestamp(created_at_us / 1000000.0) AT TIME ZONE 'UTC')::date"
            : "date(created_at_us / 1000000, 'unixepoch')";
    try (java.sql.Connection c =
            pg
                ? java.sql.DriverManager.getConnection(url, user, null)
                : java.sql.DriverManager.getConnection(url);
        java.sql.Statement st = c.createStatement()) {
      if (!pg) {
        // Every index of a million rows in memory: the inserts land in random places of them.
        st.execute("PRAGMA cache_size = -1500000");
      }
      c.setAutoCommit(false);
      st.execute(
          series
              + "INSERT INTO generations (id, request_id, key_hash, model, provider_name,"
              + " provider_slug, created_at_us, total_cost_nanos, streamed, cancelled, latency_ms,"
              + " generation_time_ms, finish_reason, tokens_prompt, tokens_completion,"
              + " native_tokens_prompt, native_tokens_completion, http_referer, error_status,"
              + " error_message, provider_responses, routing_trace, is_byok, api_type, origin)"
              + " SELECT 'gen-bench-' || g, 'req-bench-' || g, "
              + keys
              + ", 'vendor' || (m % 8) || '/model-' || m, "
              + provider
              + ", lower("
              + provider
              + "), "
              + nowUs
              + " - at, CASE WHEN f THEN 0 ELSE prompt * 3 + completion * 15 END, st, "
              + (pg ? "false" : "0")
              + ", lat, lat - 100, CASE WHEN f THEN 'error' ELSE 'stop' END, prompt,"
              + " CASE WHEN f THEN 0 ELSE completion END, prompt,"
              + " CASE WHEN f THEN 0 ELSE completion END, "
              + app
              + ", CASE WHEN f THEN 502 END, CASE WHEN f THEN 'upstream failed' END,"
              + " '[{\"provider_name\":\"x\",\"status\":200,\"latency\":100}]',"
              + " '{\"summary\":\"served by x\",\"trace\":[]}', "
              + (pg ? "false" : "0")
              + ", 'completions', '' FROM "
              + (pg ? "(SELECT g, " + draws + ") AS s" : "s"));
      st.execute(
          "INSERT INTO usage_rollup (day, key_hash, model, provider_name, app_referer, requests,"
              + " prompt_tokens, completion_tokens, reasoning_tokens, cost_nanos, byok_nanos)"
              + " SELECT "
              + day
              + ", key_hash, model, provider_name, COALESCE(http_referer, ''), COUNT(*),"
              + " SUM(native_tokens_prompt), SUM(native_tokens_completion), 0,"
              + " SUM(total_cost_nanos), 0 FROM generations GROUP BY 1, 2, 3, 4, 5");
      st.execute(
          "INSERT INTO apps (referer, first_seen_us, last_seen_us) SELECT http_referer,"
              + " MIN(created_at_us), MAX(created_at_us) FROM generations"
              + " WHERE http_referer IS NOT NULL GROUP BY http_referer");
      for (String migration :
          new String[] {"V12__dashboard_rollup.sql", "V13__activity_by_model.sql"}) {
        String sql;
        try (var in =
            DashboardQueries.class.getResourceAsStream(
                "/db/migration/" + (pg ? "postgresql/" : "sqlite/") + migration)) {
          sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String statement : sql.replaceAll("(?m)^--.*$", "").split(";")) {
          if (statement.strip().startsWith("INSERT")) {
            st.execute(statement);
          }
        }
      }
      c.commit();
      c.setAutoCommit(true);
      // PostgreSQL: the visibility map set, as autovacuum keeps it on a table written for a while,
      // so that index-only scans stay index-only.
      st.execute(pg ? "VACUUM ANALYZE" : "ANALYZE");
    }
    return first;
  }

  /**
   * The record writer's rate on top of the filled table: {@code n} more records written as fast as
   * the writer commits them (the producer flushes every 5,000 to bound the queue); prints records
   * per second of wall time and per second of this process's CPU time (the writer's cost, whatever
   * else the machine runs).
   */
  static void appendRate(Storage s, int n) {
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    String run = Long.toString(System.currentTimeMillis(), 36);
    String key = Keys.hash(Keys.generateInferenceKey());
    SplittableRandom rnd = new SplittableRandom(11);
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long latency = 150 + rnd.nextInt(2000);
      s.generations()
          .record(
              GenerationRecord.builder("gen-append-" + run + "-" + i)
                  .requestId("req-append-" + i)
                  .keyHash(key)
                  .model("vendor1/model-" + rnd.nextInt(24))
                  .providerName("OpenAI")
                  .providerSlug("openai")
                  .createdAt(Instant.now())
                  .totalCost(BigDecimal.valueOf(rnd.nextInt(100_000), 9))
                  .streamed(false)
                  .cancelled(false)
                  .latencyMs(latency)
                  .finishReason("stop")
                  .tokensPrompt(100L)
                  .tokensCompletion(50L)
                  .nativeTokensPrompt(100L)
                  .nativeTokensCompletion(50L)
                  .providerResponses("[{\"provider_name\":\"x\",\"status\":200,\"latency\":100}]")
                  .routingTrace("{\"summary\":\"served by x\",\"trace\":[]}")
                  .build());
      if (i % 5_000 == 4_999) {
        s.generations().flush();
      }
    }
    s.generations().flush();
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
    System.out.printf(
        "record writes on top of the table: %,d records in %.1f s = %,.0f records/s;"
            + " %.1f s of CPU = %,.0f records per CPU second%n",
        n, wall, n / wall, cpu, n / cpu);
  }

  static void measure(
      String base, String key, int records, int rounds, long targetMs, long recordsTargetMs)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String someKey = firstKey(http, base);
    SplittableRandom ids = new SplittableRandom(7);
    boolean allWithin = true;
    System.out.printf("%-40s %9s %9s %9s %9s%n", "call", "p50 ms", "p99 ms", "max ms", "cpu ms");
    allWithin &=
        time(
            "generation?id= (random, key 0)",
            rounds,
            recordsTargetMs,
            () ->
                get(
                    http,
                    base + "/generation?id=gen-bench-" + 40L * ids.nextInt(records / 40),
                    key));
    allWithin &=
        time("activity", rounds, recordsTargetMs, () -> get(http, base + "/activity", MASTER));
    allWithin &=
        time(
            "activity?api_key_hash=",
            rounds,
            recordsTargetMs,
            () -> get(http, base + "/activity?api_key_hash=" + someKey, MASTER));
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
    for (Map.Entry<String, String> c : calls.entrySet()) {
      allWithin &=
          time(
              c.getKey(),
              rounds,
              targetMs,
              () ->
                  get(http, base + (c.getValue() == null ? thirdPage(http, base) : c.getValue())));
    }
    allWithin &= scrapes(http, base, key, rounds);
    System.out.println(allWithin ? "every p99 within its target" : "some p99 over its target");
  }

  private static final Pattern MODEL_ID = Pattern.compile("\\{\"id\":\"([^\"]+)\"");

  /**
   * The {@code /metrics} scrape after traffic with many series: two chat requests (one streamed) to
   * every model of the catalog through the demo's simulated providers, and to an unknown model,
   * sent 32 at a time; then {@code rounds} timed scrapes (target p99 50 ms).
   */
  static boolean scrapes(HttpClient http, String base, String key, int rounds) throws Exception {
    if (!only.matcher("/metrics scrape").find()) {
      return true;
    }
    List<String> models = new ArrayList<>();
    Matcher m = MODEL_ID.matcher(get(http, base + "/models", key).body());
    while (m.find()) {
      models.add(m.group(1));
    }
    models.add("nobody/unknown-model");
    java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(32);
    List<java.util.concurrent.CompletableFuture<?>> sent = new ArrayList<>();
    for (String model : models) {
      for (String stream : new String[] {"false", "true"}) {
        window.acquire();
        sent.add(
            http.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                        .timeout(Duration.ofSeconds(60))
                        .header("authorization", "Bearer " + key)
                        .header("content-type", "application/json")
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\""
                                    + model
                                    + "\",\"stream\":"
                                    + stream
                                    + ",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
                                    + "\"content\":\"hi\"}]}"))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .whenComplete((r, e) -> window.release()));
      }
    }
    for (var f : sent) {
      try {
        f.get(120, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        // a refused or failed request is a series too
      }
    }
    String root = base.substring(0, base.indexOf("/api/v1"));
    String text = get(http, root + "/metrics").body();
    long series = text.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
    System.out.printf(
        "/metrics after %,d requests to %d models: %,d series, %,d bytes%n",
        sent.size(), models.size(), series, text.length());
    return time("/metrics scrape", rounds, 50, () -> get(http, root + "/metrics"));
  }

  interface Call {
    HttpResponse<String> run() throws Exception;
  }

  /** Times {@code rounds} calls after three unmeasured ones; prints the line; true when within. */
  /** Which calls run ({@code --calls REGEX}, matched against the call's name); all by default. */
  static Pattern only = Pattern.compile(".*");

  static boolean time(String name, int rounds, long targetMs, Call call) throws Exception {
    if (!only.matcher(name).find()) {
      return true;
    }
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long[] us = new long[rounds];
    long cpu0 = 0;
    for (int i = -3; i < rounds; i++) {
      if (i == 0) {
        cpu0 = os.getProcessCpuTime();
      }
      long t0 = System.nanoTime();
      HttpResponse<String> r = call.run();
      long took = (System.nanoTime() - t0) / 1_000;
      if (r.statusCode() != 200) {
        throw new IllegalStateException(name + ": " + r.statusCode() + " " + r.body());
      }
      if (i >= 0) {
        us[i] = took;
      }
    }
    Arrays.sort(us);
    double p50 = us[(int) Math.ceil(0.5 * rounds) - 1] / 1000.0;
    double p99 = us[(int) Math.ceil(0.99 * rounds) - 1] / 1000.0;
    // CPU per call of this process (gateway, database driver, client; SQLite's work too, not
    // PostgreSQL's): what a call costs whatever else the machine runs.
    double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / rounds;
    System.out.printf(
        "%-40s %9.1f %9.1f %9.1f %9.1f %s%n",
        name, p50, p99, us[rounds - 1] / 1000.0, cpuMs, p99 <= targetMs ? "" : "over " + targetMs);
    return p99 <= targetMs;
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
    return get(http, url, MASTER);
  }

  static HttpResponse<String> get(HttpClient http, String url, String bearer) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("authorization", "Bearer " + bearer)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
