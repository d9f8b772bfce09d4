package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.Gateway;
import dev.switchboard.server.Main;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.GatewayConfig;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every CLI command run as {@code ./switchboard ...} runs it (Main's command line, its exit codes
 * and its two output streams) against a real demo gateway in this JVM.
 */
class CliIT {

  static final String MASTER = "sk-sb-mgmt-v1-cli-test-master-key-0123456789abcdef";

  @TempDir static Path dir;
  static Gateway gateway;
  static String url;

  @BeforeAll
  static void startGateway() {
    gateway = Gateway.start(config(null));
    url = "http://127.0.0.1:" + gateway.port();
  }

  @AfterAll
  static void stopGateway() {
    gateway.close();
  }

  static GatewayConfig config(Path file) {
    return ConfigLoader.load(
        file,
        Map.of("SWITCHBOARD_MASTER_KEY", MASTER),
        new ConfigLoader.Overrides("127.0.0.1", 0, dir.resolve("data-" + System.nanoTime()), true));
  }

  record Run(int code, String out, String err) {}

  /** Runs {@code args} through Main's command line; {@code tweak} may adjust the command first. */
  static Run run(Consumer<CommandLine> tweak, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    tweak.accept(cli);
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static Run run(String... args) {
    return run(cli -> {}, args);
  }

  /** The same command with --url and the management key appended. */
  static Run manage(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", url, "--key", MASTER));
    return run(all.toArray(String[]::new));
  }

  static Object command(CommandLine root, String... path) {
    CommandLine c = root;
    for (String p : path) {
      c = c.getSubcommands().get(p);
    }
    return c.getCommand();
  }

  @Test
  void keysCreateListShowDisableEnableDelete() throws Exception {
    Run create =
        manage("keys", "create", "--name", "cli app", "--limit", "2.5", "--limit-reset", "weekly");
    assertThat(create.code()).as(create.err()).isZero();
    String key = create.out().strip();
    assertThat(key).matches("sk-sb-v1-[0-9a-f]{64}");
    assertThat(create.err())
        .contains("Created key \"cli app\"")
        .contains("limit $2.5 weekly")
        .contains("shown once");

    Run list = manage("keys", "list");
    assertThat(list.code()).isZero();
    assertThat(list.out().lines().findFirst().orElseThrow())
        .startsWith("HASH")
        .contains("NAME", "LIMIT", "USAGE");
    assertThat(list.out()).contains("cli app").contains("demo").contains("$2.5").contains("weekly");
    assertThat(list.out()).doesNotContain(key);

    Run show = manage("keys", "show", "cli app");
    assertThat(show.code()).isZero();
    assertThat(show.out()).contains("limit $2.5 weekly").contains("limit remaining   $2.5");
    String hash = dev.switchboard.server.storage.Keys.hash(key);
    assertThat(show.out()).contains(hash);

    Run disable = manage("keys", "disable", hash.substring(0, 8));
    assertThat(disable.out()).isEqualTo("Disabled key \"cli app\" (" + hash + ").\n");
    Run refused = run("chat", "-m", "openai/gpt-5.2", "--url", url, "--key", key, "hi");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("failed with 401").contains("--key or SWITCHBOARD_API_KEY");
    assertThat(manage("keys", "list").out()).doesNotContain("cli app");
    assertThat(manage("keys", "list", "--all").out()).contains("cli app").contains("disabled");

    assertThat(manage("keys", "enable", "cli app").out()).startsWith("Enabled key \"cli app\"");
    assertThat(manage("keys", "list", "--json").out()).contains("\"name\" : \"cli app\"");

    Run delete = manage("keys", "delete", hash);
    assertThat(delete.out()).isEqualTo("Deleted key " + hash + ".\n");
    Run gone = manage("keys", "show", "cli app");
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err())
        .isEqualTo("switchboard: no key matches \"cli app\" (by hash, name or label)\n");
  }

  @Test
  void aWrongManagementKeySaysWhereTheKeyComesFrom() {
    Run r = run("keys", "list", "--url", url, "--key", "sk-sb-mgmt-v1-wrong-wrong-wrong-wrong");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("switchboard: GET /api/v1/keys failed with 401: ")
        .contains("--key, SWITCHBOARD_MASTER_KEY or generated-management-key.txt");
  }

  @Test
  void theManagementKeyIsReadFromTheDataFolderWhenNotGiven() throws Exception {
    Path data = Files.createDirectories(dir.resolve("key-folder"));
    Files.writeString(data.resolve(GatewayOptions.KEY_FILE), MASTER + "\n");
    Run r =
        run(
            cli -> ((ManagementCommand) command(cli, "keys", "list")).gateway.env = Map.of(),
            "keys",
            "list",
            "--url",
            url,
            "--data-dir",
            data.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("demo");

    Run none =
        run(
            cli -> ((ManagementCommand) command(cli, "keys", "list")).gateway.env = Map.of(),
            "keys",
            "list",
            "--url",
            url,
            "--data-dir",
            dir.resolve("empty").toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("no management key: pass --key, set SWITCHBOARD_MASTER_KEY");
  }

  @Test
  void anUnreachableGatewayIsNamed() {
    Run r = run("models", "list", "--url", "http://127.0.0.1:1");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("switchboard: cannot reach the gateway at http://127.0.0.1:1")
        .contains("--url");
  }

  @Test
  void modelsListShowsEveryEndpointWithItsPrices() throws Exception {
    Run r = run("models", "list", "gpt-5.2", "--url", url);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().findFirst().orElseThrow())
        .contains("MODEL", "PROVIDER", "CONTEXT", "MAX OUT", "INPUT $/M", "OUTPUT $/M");
    assertThat(r.out().lines().filter(l -> l.startsWith("openai/gpt-5.2 ")))
        .anySatisfy(
            l -> assertThat(l).contains("OpenAI", "400,000", "128,000", "$1.75", "$14", "$0.175"))
        .anySatisfy(l -> assertThat(l).contains("Azure"));
    assertThat(r.out()).contains("1 models, 2 endpoints.");
    assertThat(r.err()).as("no progress lines when standard error is not a terminal").isEmpty();

    Run json = run("models", "list", "claude-sonnet-4", "--json", "--url", url);
    JsonNode models = ApiJson.tree(json.out());
    assertThat(models.get(0).path("id").asText()).isEqualTo("anthropic/claude-sonnet-4");
    assertThat(models.get(0).path("endpoints").size()).isEqualTo(3);
  }

  @Test
  void chatStreamsTheAnswerAndEndsWithModelTokensAndCost() {
    Run r =
        run(
            "chat",
            "-m",
            "openai/gpt-5.2",
            "--url",
            url,
            "--key",
            Gateway.DEMO_KEY,
            "--spinner",
            "always",
            "Say",
            "hello");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Simulated answer to: Say hello").endsWith("\n");
    assertThat(r.err())
        .contains("waiting for openai/gpt-5.2")
        .containsPattern("\\[openai/gpt-5\\.2 via \\w+ · \\d+ in, \\d+ out · \\$0\\.\\d+ · gen-");

    Run quiet = run("chat", "-m", "openai/gpt-5.2", "--url", url, "--key", Gateway.DEMO_KEY, "Hi");
    assertThat(quiet.err())
        .as("no spinner when standard error is not a terminal")
        .doesNotContain("waiting");

    Run whole =
        run(
            "chat",
            "-m",
            "deepseek/deepseek-chat-v3-0324",
            "--no-stream",
            "--url",
            url,
            "--key",
            Gateway.DEMO_KEY,
            "Whole");
    assertThat(whole.out()).startsWith("Simulated answer to: Whole");
    assertThat(whole.err()).contains("[deepseek/deepseek-chat-v3-0324 via");
  }

  @Test
  void chatReadsAPipedPrompt() {
    Run r =
        run(
            cli -> {
              ChatCommand chat = (ChatCommand) command(cli, "chat");
              chat.stdin =
                  new ByteArrayInputStream("From a pipe\n".getBytes(StandardCharsets.UTF_8));
              chat.stdinIsTerminal = false;
            },
            "chat",
            "-m",
            "openai/gpt-5.2",
            "--url",
            url,
            "--key",
            Gateway.DEMO_KEY);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Simulated answer to: From a pipe");
  }

  @Test
  void usageShowsSpendByKeyAndSaysWhatTheGatewayCannotTell() {
    assertThat(
            run("chat", "-m", "openai/gpt-5.2", "--url", url, "--key", Gateway.DEMO_KEY, "x")
                .code())
        .isZero();
    Run r = manage("usage");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Spend by key (USD):");
    assertThat(r.out().lines().filter(l -> l.startsWith("demo ")).findFirst().orElseThrow())
        .containsPattern("\\$0\\.\\d*[1-9]");
    if (r.out().contains("Spend by day")) {
      assertThat(r.out()).contains("Spend by model");
    } else {
      assertThat(r.err()).contains("needs the gateway's GET /activity");
    }
  }

  @Test
  void creditsOnAGatewayWithoutTheCreditsApiSaySo() {
    Run r = manage("credits", "show");
    if (r.code() == 0) {
      assertThat(r.out()).contains("balance");
    } else {
      assertThat(r.err())
          .isEqualTo(
              "switchboard: this gateway has no GET /api/v1/credits (it answered 404: No route for"
                  + " GET /api/v1/credits); it may be an older build\n");
    }
  }

  @Test
  void creditsAddPostsTheAmountAndNoteAndShowsTheBalance() throws Exception {
    AtomicReference<String> posted = new AtomicReference<>();
    AtomicReference<String> auth = new AtomicReference<>();
    HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext(
        "/api/v1/credits",
        ex -> {
          String answer;
          int status = 200;
          if (ex.getRequestMethod().equals("POST")) {
            posted.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            auth.set(ex.getRequestHeaders().getFirst("Authorization"));
            status = 201;
            answer =
                "{\"data\":{\"id\":7,\"amount\":100,\"created_at\":\"2026-12-02T00:00:00Z\","
                    + "\"actor\":\"master (sk-sb-mgmt-v1-cli...def)\",\"note\":\"invoice 7\"}}";
          } else {
            answer = "{\"data\":{\"total_credits\":100,\"total_usage\":25.5}}";
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(status, bytes.length);
          ex.getResponseBody().write(bytes);
          ex.close();
        });
    stub.start();
    try {
      Run r =
          run(
              "credits",
              "add",
              "100",
              "--note",
              "invoice 7",
              "--url",
              "http://127.0.0.1:" + stub.getAddress().getPort(),
              "--key",
              MASTER);
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(ApiJson.tree(posted.get()))
          .isEqualTo(ApiJson.tree("{\"amount\":100,\"note\":\"invoice 7\"}"));
      assertThat(auth.get()).isEqualTo("Bearer " + MASTER);
      assertThat(r.out())
          .contains("Booked $100 (ledger entry 7, by master (sk-sb-mgmt-v1-cli...def)).")
          .contains("balance  $74.5");
    } finally {
      stub.stop(0);
    }
  }

  @Test
  void catalogImportWritesEntriesTheGatewayServes() throws Exception {
    Path models = Path.of(CliIT.class.getResource("/cli/openrouter-models.json").toURI());
    Path yaml = dir.resolve("imported.yaml");
    Run r = run("catalog", "import", models.toString(), "-o", yaml.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err())
        .contains("Imported 3 models into " + yaml + "; skipped 3.")
        .contains("skipped openrouter/auto: variable prompt price (-1)")
        .contains("skipped acme/mystery: no context length")
        .contains("skipped openai/gpt-5.2: already in the shipped catalog");
    String text = Files.readString(yaml);
    assertThat(text)
        .startsWith("# Imported by `switchboard catalog import openrouter-models.json`");

    GatewayConfig cfg = config(yaml);
    assertThat(cfg.catalog().models())
        .filteredOn(m -> m.id().startsWith("acme/"))
        .extracting(m -> m.id())
        .containsExactly("acme/widget-large", "acme/widget-small:free", "acme/painter");
    var large =
        cfg.catalog().models().stream()
            .filter(m -> m.id().equals("acme/widget-large"))
            .findFirst()
            .orElseThrow();
    assertThat(large.description())
        .isEqualTo("A large widget model.\nSecond line with \"quotes\" and a colon: here.");
    assertThat(large.canonicalSlug()).isEqualTo("acme/widget-large-2026-10-01");
    assertThat(large.inputModalities()).containsExactly("text", "image");
    var endpoint = large.endpoints().getFirst();
    assertThat(endpoint.provider()).isEqualTo("openrouter");
    assertThat(endpoint.upstreamModel()).isEqualTo("acme/widget-large");
    assertThat(endpoint.maxCompletionTokens()).isEqualTo(16384);
    assertThat(endpoint.pricing().prompt()).isEqualByComparingTo("0.000002");
    assertThat(endpoint.pricing().inputCacheRead()).isEqualByComparingTo("0.0000002");
    assertThat(endpoint.pricing().request()).isNull();
    assertThat(endpoint.supportedParameters()).contains("tools");

    try (Gateway withImports = Gateway.start(cfg)) {
      String importedUrl = "http://127.0.0.1:" + withImports.port();
      Run list = run("models", "list", "acme/", "--url", importedUrl);
      assertThat(list.out())
          .contains("acme/widget-large", "OpenRouter", "131,072", "16,384", "$2", "$8", "$0.2")
          .contains("acme/painter")
          .contains("3 models, 3 endpoints.");
      Run chat =
          run(
              "chat",
              "-m",
              "acme/widget-large",
              "--url",
              importedUrl,
              "--key",
              Gateway.DEMO_KEY,
              "Hi");
      assertThat(chat.code()).as(chat.err()).isZero();
      assertThat(chat.out()).startsWith("Simulated answer to: Hi");
      assertThat(chat.err()).contains("[acme/widget-large via OpenRouter");
    }

    Run slug =
        run(
            "catalog",
            "import",
            models.toString(),
            "--provider",
            "local-vllm",
            "--upstream-model",
            "hugging-face",
            "--match",
            "^acme/widget-l",
            "--replace-shipped");
    assertThat(slug.out()).contains("upstream-model: \"acme/Widget-Large-Instruct\"");
    assertThat(slug.err())
        .contains("Imported 1 models; skipped 0.")
        .contains("provider \"local-vllm\" is not a shipped one");
  }

  @Test
  void topLevelHelpListsTheCommands() {
    Run r = run("--help");
    assertThat(r.out()).contains("keys", "models", "usage", "chat", "catalog", "credits", "serve");
  }
}
