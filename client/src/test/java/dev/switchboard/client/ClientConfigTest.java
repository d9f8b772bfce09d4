package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.client.internal.DotEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building a client: defaults, the environment, .env files, validation. */
class ClientConfigTest {

  @Test
  void missingKeyIsAClearErrorAtBuildTime() {
    assertThatThrownBy(() -> SwitchboardClient.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("OPENROUTER_API_KEY")
        .hasMessageContaining("apiKey(");
    assertThatThrownBy(
            () -> SwitchboardClient.builder().env(Map.of("OPENROUTER_API_KEY", " "), null).build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void defaultsPointAtOpenRouterWithTheDocumentedAliases() {
    try (SwitchboardClient c =
        SwitchboardClient.builder().apiKey("sk-or-v1-abcdefghijklmnop").build()) {
      assertThat(c.baseUrl()).isEqualTo("https://openrouter.ai/api/v1");
      assertThat(c.retryPolicy()).isEqualTo(RetryPolicy.defaults());
      assertThat(c.aliases().aliases())
          .containsExactly(
              Map.entry("fast", "google/gemini-3-flash-preview"),
              Map.entry("smart", "anthropic/claude-sonnet-4"),
              Map.entry("powerful", "anthropic/claude-opus-4.6"),
              Map.entry("cheap", "deepseek/deepseek-chat-v3-0324"),
              Map.entry("code", "openai/gpt-5.3-codex"));
      assertThat(c.toString()).doesNotContain("abcdefghijklmnop").contains("sk-or-v1-");
    }
  }

  @Test
  void environmentWinsOverTheDotEnvFile(@TempDir Path dir) throws Exception {
    Path env = dir.resolve(".env");
    Files.writeString(
        env,
        """
        # comment
        export OPENROUTER_API_KEY='sk-from-file'
        OPENROUTER_BASE_URL="http://127.0.0.1:9/api/v1/"
        OPENROUTER_REFERER=https://file.example # trailing comment
        OPENROUTER_APP_NAME="File \\"App\\""
        """);
    try (SwitchboardClient c =
        SwitchboardClient.builder()
            .env(Map.of("OPENROUTER_API_KEY", "sk-from-env", "UNRELATED", "x"), env)
            .build()) {
      assertThat(c.settings().apiKey()).isEqualTo("sk-from-env");
      assertThat(c.baseUrl()).isEqualTo("http://127.0.0.1:9/api/v1");
      assertThat(c.settings().referer()).isEqualTo("https://file.example");
      assertThat(c.settings().appName()).isEqualTo("File \"App\"");
      assertThat(c.settings().allHeaders())
          .containsEntry("HTTP-Referer", "https://file.example")
          .containsEntry("X-Title", "File \"App\"");
    }
  }

  @Test
  void dotEnvParsingFollowsTheUsualRules() {
    assertThat(
            DotEnv.parse(
                "A=1\n  B = two words  \nexport C=\"x\\ny\"\nD='raw \\n'\n#E=no\nnoequals\nF=v #c\n"))
        .containsExactly(
            Map.entry("A", "1"),
            Map.entry("B", "two words"),
            Map.entry("C", "x\ny"),
            Map.entry("D", "raw \\n"),
            Map.entry("F", "v"));
    assertThat(DotEnv.read(Path.of("does-not-exist.env"))).isEmpty();
  }

  @Test
  void settingsAreValidated() {
    SwitchboardClient.Builder b = SwitchboardClient.builder();
    assertThatThrownBy(() -> b.baseUrl("ftp://x")).hasMessageContaining("http://");
    assertThatThrownBy(() -> b.timeout(java.time.Duration.ZERO)).hasMessageContaining("positive");
    assertThatThrownBy(() -> b.streamIdleTimeout(java.time.Duration.ofSeconds(-1)))
        .hasMessageContaining("streamIdleTimeout must not be negative");
    assertThatThrownBy(() -> b.header("Authorization", "x")).hasMessageContaining("apiKey()");
    assertThatThrownBy(() -> new ModelAliases(Map.of("x", " "))).hasMessageContaining("blank");
  }

  @Test
  void aliasesResolveOnlyTheirOwnNames() {
    ModelAliases a = ModelAliases.defaults().with("mine", "acme/model-1").without("code");
    assertThat(a.resolve("mine")).isEqualTo("acme/model-1");
    assertThat(a.resolve("code")).isEqualTo("code");
    assertThat(a.resolve("openai/gpt-5.2")).isEqualTo("openai/gpt-5.2");
    assertThat(ModelAliases.none().resolve("fast")).isEqualTo("fast");
  }
}
