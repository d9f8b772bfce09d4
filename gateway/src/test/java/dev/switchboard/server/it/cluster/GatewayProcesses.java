package dev.switchboard.server.it.cluster;

import dev.switchboard.server.Main;
import dev.switchboard.simulator.Simulator;
import dev.switchboard.simulator.SimulatorConfig;
import dev.switchboard.testkit.postgres.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several real gateway processes sharing one PostgreSQL database, with a simulator in the test JVM
 * as their upstream: the harness of the cluster tests.
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabase.create();
 *     GatewayProcesses cluster = new GatewayProcesses(db, tempDir)) {
 *   GatewayProcesses.Node a = cluster.start("node-a");
 *   GatewayProcesses.Node b = cluster.start("node-b");
 *   String key = a.createKey(null);                       // an inference key, via node A
 *   HttpResponse<String> r = a.chat(key, "test/echo", "hi");
 *   b.get("/generation?id=" + id, key);                   // read on node B
 *   a.kill();                                             // SIGKILL
 * }
 * }</pre>
 *
 * <p>Each node is {@code java -cp <test classpath> Main serve --config <yaml>} on port 0 (the port
 * is read from its start line), with {@code SWITCHBOARD_MASTER_KEY} = {@link #MASTER_KEY} and its
 * own data folder; its output goes to {@code <dir>/<node>.log}. The YAML is {@link #yaml()}:
 * storage on the database, the providers {@code sim} and {@code flaky} on the simulator, the models
 * {@code test/echo} and {@code test/slow} (on {@code sim}) and {@code test/flaky} (on {@code
 * flaky}, for faults that must not touch the others, and on {@code sim}), and with {@link
 * #withRedis} a {@code cluster.redis} section with a key prefix of this harness's own; add sections
 * with {@link #extraYaml} and environment variables with {@link #env} (both before {@link #start}),
 * e.g. a Redis URL for the shared counters.
 */
public final class GatewayProcesses implements AutoCloseable {

  public static final String MASTER_KEY = "sk-sb-mgmt-v1-cluster-test-master-key-0123456789";
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:/]+:(\\d+)/");

  private final TestDatabase db;
  private final Path dir;
  private final Simulator simulator;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<Node> nodes = new ArrayList<>();
  private final StringBuilder extraYaml = new StringBuilder();
  private String yamlOverride;
  private String redisUrl;
  private String redisPrefix;
  private long holdTtlMs;
  private boolean commitBeforeReply;
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public GatewayProcesses(TestDatabase db, Path dir) {
    this.db = db;
    this.dir = dir;
    this.simulator = Simulator.start(SimulatorConfig.defaults());
  }

  /** The shared upstream: set latency and faults on it ({@code sim} is the provider). */
  public Simulator simulator() {
    return simulator;
  }

  public TestDatabase database() {
    return db;
  }

  /** An environment variable for every node started from now on. */
  public GatewayProcesses env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** YAML appended to every node's configuration (top-level sections other than those below). */
  public GatewayProcesses extraYaml(String yaml) {
    extraYaml.append(yaml).append('\n');
    return this;
  }

  /**
   * Every node started from now on also shares the Redis at {@code url} ({@code cluster.redis}),
   * under a key prefix of its own for this harness ({@link #redisPrefix()}), with reservations that
   * outlive their node by {@code holdTtlMs}.
   */
  public GatewayProcesses withRedis(String url, long holdTtlMs) {
    this.redisUrl = url;
    this.redisPrefix = "sbit-" + java.util.UUID.randomUUID().toString().substring(0, 8) + ":";
    this.holdTtlMs = holdTtlMs;
    return this;
  }

  /**
   * Nodes started from now on hold each reply until its record is committed ({@code
   * storage.commit-before-reply: true}) instead of writing it behind.
   */
  public GatewayProcesses commitBeforeReply() {
    this.commitBeforeReply = true;
    return this;
  }

  /** The key prefix of this harness's Redis keys and channels, or null without Redis. */
  public String redisPrefix() {
    return redisPrefix;
  }

  /** Replaces the whole configuration of nodes started from now on (start from {@link #yaml}). */
  public GatewayProcesses overrideYaml(String yaml) {
    this.yamlOverride = yaml;
    return this;
  }

  /** The configuration every node gets. */
  public String yaml() {
    if (yamlOverride != null) {
      return yamlOverride;
    }
    return """
        storage:
          kind: postgres
          url: "%s"
          user: %s
          pool: {max-size: 6, connect-timeout-ms: 2000}
          commit-before-reply: %s
        server:
          drain-timeout-ms: 5000
        providers:
          sim: {name: Sim, profile: openai, base-url: "%s", api-key: test}
          flaky: {name: Flaky, profile: openai, base-url: "%s", api-key: test}
        catalog:
          include-defaults: false
          models:
            - id: test/echo
              context-length: 8192
              endpoints:
                - {provider: sim, upstream-model: echo, pricing: {prompt: "0.000001", completion: "0.000002"}}
            - id: test/slow
              context-length: 8192
              endpoints:
                - {provider: sim, upstream-model: slow, pricing: {prompt: "0.000001", completion: "0.000002"}}
            - id: test/flaky
              context-length: 8192
              endpoints:
                - {provider: flaky, upstream-model: flaky, pricing: {prompt: "0.000001", completion: "0.000002"}}
                - {provider: sim, upstream-model: flaky, pricing: {prompt: "0.000001", completion: "0.000002"}}
        """
            .formatted(
                db.url(),
                db.user(),
                commitBeforeReply,
                simulator.baseUrl("sim"),
                simulator.baseUrl("flaky"))
        + (redisUrl == null
            ? ""
            : """
            cluster:
              redis: {url: "%s", key-prefix: "%s", hold-ttl-ms: %d}
            """
                .formatted(redisUrl, redisPrefix, holdTtlMs))
        + extraYaml;
  }

  /** Starts a node and returns once it answers {@code /health/ready} with 200. */
  public Node start(String nodeId) throws IOException, InterruptedException {
    return start(nodeId, nodeId + "-data");
  }

  /**
   * Starts a node with the data folder {@code <dir>/<dataFolder>}: nodes on PostgreSQL may share
   * one (no lock; it only holds a generated management key file).
   */
  public Node start(String nodeId, String dataFolder) throws IOException, InterruptedException {
    Path config = dir.resolve(nodeId + ".yaml");
    Files.writeString(config, yaml());
    Path log = dir.resolve(nodeId + ".log");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.add("serve");
    command.addAll(
        List.of(
            "--config",
            config.toString(),
            "--port",
            "0",
            "--data-dir",
            dir.resolve(dataFolder).toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD_") || k.endsWith("_API_KEY"));
    pb.environment().put("SWITCHBOARD_MASTER_KEY", MASTER_KEY);
    pb.environment().put("SWITCHBOARD_NODE_ID", nodeId);
    pb.environment().putAll(env);
    Process process = pb.start();
    Node node = new Node(nodeId, process, log, awaitPort(process, log));
    nodes.add(node);
    node.awaitReady();
    return node;
  }

  private static int awaitPort(Process p, Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String out = Files.readString(log);
      Matcher m = LISTENING.matcher(out);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      if (!p.isAlive()) {
        throw new AssertionError("gateway exited early:\n" + out);
      }
      Thread.sleep(100);
    }
    p.destroyForcibly();
    throw new AssertionError("gateway did not start within 90 s:\n" + Files.readString(log));
  }

  /** Stops every node still running (SIGTERM, then SIGKILL after 30 s) and the simulator. */
  @Override
  public void close() {
    for (Node n : nodes) {
      n.stop();
    }
    simulator.close();
  }

  /** One gateway process. */
  public final class Node {
    public final String id;
    public final Process process;
    public final Path log;
    public final int port;

    Node(String id, Process process, Path log, int port) {
      this.id = id;
      this.process = process;
      this.log = log;
      this.port = port;
    }

    /** {@code http://127.0.0.1:<port>/api/v1}. */
    public String base() {
      return "http://127.0.0.1:" + port + "/api/v1";
    }

    public HttpResponse<String> get(String path, String key)
        throws IOException, InterruptedException {
      return send("GET", path, null, key);
    }

    public HttpResponse<String> post(String path, String json, String key)
        throws IOException, InterruptedException {
      return send("POST", path, json, key);
    }

    /** Any method; {@code path} under {@code /api/v1}, or from the root when it starts /health. */
    public HttpResponse<String> send(String method, String path, String json, String key)
        throws IOException, InterruptedException {
      String url = path.startsWith("/health") ? "http://127.0.0.1:" + port + path : base() + path;
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  json == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(json));
      if (key != null) {
        b.header("Authorization", "Bearer " + key);
      }
      if (json != null) {
        b.header("Content-Type", "application/json");
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A non-streamed chat completion. */
    public HttpResponse<String> chat(String key, String model, String text)
        throws IOException, InterruptedException {
      return post(
          "/chat/completions",
          "{\"model\":\""
              + model
              + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
              + text
              + "\"}]}",
          key);
    }

    /** Creates an inference key through this node ({@code limitJson}: e.g. {@code "limit":5}). */
    public String createKey(String extraJson) throws IOException, InterruptedException {
      String body = "{\"name\":\"cluster\"" + (extraJson == null ? "" : "," + extraJson) + "}";
      HttpResponse<String> r = post("/keys", body, MASTER_KEY);
      if (r.statusCode() != 201) {
        throw new AssertionError("key creation on " + id + ": " + r.statusCode() + " " + r.body());
      }
      Matcher m = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
      if (!m.find()) {
        throw new AssertionError("no key in " + r.body());
      }
      return m.group(1);
    }

    /** Waits until {@code /health/ready} answers 200. */
    public void awaitReady() throws IOException, InterruptedException {
      awaitHealth(200);
    }

    /** Waits until {@code /health/ready} answers {@code status}; returns that answer. */
    public HttpResponse<String> awaitHealth(int status) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      HttpResponse<String> last = null;
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new AssertionError(id + " exited:\n" + log());
        }
        try {
          last = get("/health/ready", null);
          if (last.statusCode() == status) {
            return last;
          }
        } catch (IOException notYet) {
          // starting
        }
        Thread.sleep(100);
      }
      throw new AssertionError(
          id
              + " /health/ready never answered "
              + status
              + "; last: "
              + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    /** SIGKILL: no drain, no shutdown hook. */
    public void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, and SIGKILL if it has not stopped within 30 s. */
    public void stop() {
      if (!process.isAlive()) {
        return;
      }
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }

    /** Everything the node logged so far. */
    public String log() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }
  }
}
