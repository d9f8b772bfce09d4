package dev.switchboard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.server.Gateway;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.GatewayConfig;
import dev.switchboard.server.routing.ProviderRegistry;
import dev.switchboard.server.storage.DataFolderException;
import dev.switchboard.server.storage.Storage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a gateway does with its data folder at start: one gateway per folder, the public demo key
 * only in demo mode, key labels that show no more than three characters at each end.
 */
class DataFolderIT {

  static final String CHOSEN_MASTER_KEY = "correct-horse-battery-staple-zebra-42";

  @TempDir Path dir;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void theDemoKeyStopsWorkingWhenTheFolderIsServedWithoutDemo() throws Exception {
    Path data = dir.resolve("data");
    try (TestGateway demo = TestGateway.start(data)) {
      assertThat(demo.get("/key", TestGateway.KEY).statusCode()).isEqualTo(200);
    }
    Logger logger = (Logger) LoggerFactory.getLogger(Gateway.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    try {
      try (Gateway real = Gateway.start(withoutDemo(data, TestGateway.MASTER_KEY))) {
        HttpResponse<String> refused = get(real, "/key", TestGateway.KEY);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(ApiJson.tree(refused.body()).path("error").path("message").asText())
            .isEqualTo("API key is disabled");
        assertThat(get(real, "/key", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
        // A provider left out for want of its key names the variable to set.
        assertThat(real.services().providers().skipped())
            .contains(new ProviderRegistry.Skipped("openai", "no credential (set OPENAI_API_KEY)"));
      }
      Gateway.start(withoutDemo(data, TestGateway.MASTER_KEY)).close();
    } finally {
      logger.detachAppender(events);
    }
    List<String> warnings =
        events.list.stream()
            .filter(e -> e.getLevel() == Level.WARN)
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    assertThat(warnings)
        .containsExactly(
            "Disabled the public demo key sk-sb-v1-demo left in this data folder by --demo: it"
                + " works only in demo mode");

    try (TestGateway demoAgain = TestGateway.start(data)) {
      assertThat(demoAgain.get("/key", TestGateway.KEY).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aSecondGatewayOnTheSameFolderRefusesToStart() throws Exception {
    Path data = dir.resolve("data");
    try (TestGateway first = TestGateway.start(data)) {
      assertThatThrownBy(() -> TestGateway.start(data))
          .isInstanceOf(DataFolderException.class)
          .hasMessage(
              "data folder "
                  + data.toAbsolutePath()
                  + " is in use by another Switchboard gateway (pid "
                  + ProcessHandle.current().pid()
                  + ")");
      assertThatThrownBy(() -> Gateway.start(withoutDemo(data, TestGateway.MASTER_KEY)))
          .isInstanceOf(DataFolderException.class);
      // The refused start left the first one alone.
      HttpResponse<String> chat =
          first.chat(
              "{\"model\":\"openai/gpt-5.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    }
    try (TestGateway after = TestGateway.start(data)) {
      assertThat(after.get("/key", TestGateway.KEY).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void labelsShowAtMostThreeCharactersAtEachEndOfAnyKey() throws Exception {
    Path data = dir.resolve("data");
    try (Gateway gateway = Gateway.start(withoutDemo(data, CHOSEN_MASTER_KEY))) {
      JsonNode self = ApiJson.tree(get(gateway, "/key", CHOSEN_MASTER_KEY).body()).path("data");
      assertThat(self.path("label").asText()).isEqualTo("cor...-42");

      HttpResponse<String> created =
          http.send(
              HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/keys"))
                  .header("Authorization", "Bearer " + CHOSEN_MASTER_KEY)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"app\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String plaintext = ApiJson.tree(created.body()).path("key").asText();
      String secret = plaintext.substring("sk-sb-v1-".length());
      String expected =
          "sk-sb-v1-" + secret.substring(0, 3) + "..." + secret.substring(secret.length() - 3);
      JsonNode listed = ApiJson.tree(get(gateway, "/keys", CHOSEN_MASTER_KEY).body()).path("data");
      assertThat(listed).hasSize(1);
      assertThat(listed.get(0).path("label").asText()).isEqualTo(expected);

      assertThat(labelsInTheDatabase(data)).containsExactlyInAnyOrder("cor...-42", expected);
    }
  }

  private static List<String> labelsInTheDatabase(Path data) throws Exception {
    List<String> labels = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + data.resolve(Storage.SQLITE_FILE_NAME));
        ResultSet rs = c.createStatement().executeQuery("SELECT label FROM api_keys")) {
      while (rs.next()) {
        labels.add(rs.getString(1));
      }
    }
    return labels;
  }

  private HttpResponse<String> get(Gateway gateway, String path, String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("Authorization", "Bearer " + key)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The configuration `serve --data-dir data` reads with only the master key in the env. */
  private static GatewayConfig withoutDemo(Path data, String masterKey) {
    GatewayConfig config =
        ConfigLoader.load(
            null,
            Map.of("SWITCHBOARD_MASTER_KEY", masterKey),
            new ConfigLoader.Overrides("127.0.0.1", 0, data, false));
    return config.withServer(
        new GatewayConfig.ServerConfig("127.0.0.1", 0, config.server().maxBodyBytes(), 1));
  }
}
