package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.examples.AgentLoop;
import dev.switchboard.client.examples.BasicChat;
import dev.switchboard.client.examples.DebugEcho;
import dev.switchboard.client.examples.ErrorHandling;
import dev.switchboard.client.examples.Fallbacks;
import dev.switchboard.client.examples.ImageFromFile;
import dev.switchboard.client.examples.KeyBalance;
import dev.switchboard.client.examples.ProviderRouting;
import dev.switchboard.client.examples.Streaming;
import dev.switchboard.client.examples.StructuredOutput;
import dev.switchboard.client.examples.Tools;
import dev.switchboard.client.examples.VideoUrl;
import dev.switchboard.client.examples.WebPlugin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every example of src/examples/java runs against a demo-mode gateway, as a user would run it. */
@ExtendWith(InProcessGateway.Extension.class)
class ExamplesIT {

  static SwitchboardClient client;

  @BeforeAll
  static void start(InProcessGateway gw) {
    client =
        SwitchboardClient.builder()
            .baseUrl(gw.baseUrl())
            .apiKey(dev.switchboard.client.examples.Demo.KEY)
            .appName("Switchboard examples")
            .build();
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  static String run(BiConsumer<SwitchboardClient, PrintStream> example) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      example.accept(client, out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void basicChat() {
    String out = run(BasicChat::run);
    assertThat(out)
        .contains("Simulated answer")
        .contains("model=anthropic/claude-sonnet-4")
        .contains("cost=$");
  }

  @Test
  void streaming() {
    assertThat(run(Streaming::run)).contains("Simulated answer").contains("finish=stop");
  }

  @Test
  void imageFromFile() {
    assertThat(run(ImageFromFile::run)).isNotBlank();
  }

  @Test
  void videoUrl() {
    assertThat(run(VideoUrl::run)).isNotBlank();
  }

  @Test
  void tools() {
    assertThat(run(Tools::run)).contains("finish_reason: tool_calls").contains("get_weather(");
  }

  @Test
  void agentLoop() {
    String out = run(AgentLoop::run);
    assertThat(out)
        .contains("round 1: get_weather(")
        .contains("round 1: get_agenda(")
        .contains("answer: ");
  }

  @Test
  void fallbacks() {
    assertThat(run(Fallbacks::run))
        .contains("served by anthropic/claude-sonnet-4")
        .contains("served by anthropic/claude-opus-4.6");
  }

  @Test
  void providerRouting() {
    assertThat(run(ProviderRouting::run)).contains(": Simulated answer");
  }

  @Test
  void webPluginCitesItsSources() {
    // Once accepted and ignored (issue 13), then a 501; now the demo's search API answers.
    assertThat(run(WebPlugin::run)).contains("source: ").doesNotContain("no citations");
  }

  @Test
  void structuredOutput() {
    assertThat(run(StructuredOutput::run)).startsWith("Recipe[name=");
  }

  @Test
  void debugEcho() {
    assertThat(run(DebugEcho::run)).contains("Simulated answer");
  }

  @Test
  void errorHandling() {
    String out = run(ErrorHandling::run);
    assertThat(out).contains("400: ").contains("401: ");
  }

  @Test
  void keyBalance() {
    assertThat(run(KeyBalance::run))
        .contains("key sk-sb-v1-")
        .contains("credits not available here (403: Only management keys");
  }
}
