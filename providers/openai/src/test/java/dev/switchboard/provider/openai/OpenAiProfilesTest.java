package dev.switchboard.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.provider.DialectProfile;
import org.junit.jupiter.api.Test;

class OpenAiProfilesTest {

  @Test
  void loadsEveryRequiredVendor() {
    assertThat(OpenAiProfiles.all())
        .containsKeys(
            "openai",
            "deepseek",
            "mistral",
            "xai",
            "groq",
            "together",
            "fireworks",
            "openrouter",
            "ollama",
            "vllm",
            "anthropic-compat");
  }

  @Test
  void givesEveryProfileTheOpenAiDialectAValidOutputLimitFieldAndNotes() {
    for (DialectProfile profile : OpenAiProfiles.all().values()) {
      assertThat(profile.dialect()).isEqualTo("openai");
      assertThat(profile.maxTokensField()).isIn("max_tokens", "max_completion_tokens");
      assertThat(profile.chatPath()).isEqualTo("/chat/completions");
      assertThat(profile.notes()).as(profile.id()).isNotEmpty();
      if (profile.defaultBaseUrl() != null) {
        assertThat(profile.defaultBaseUrl()).doesNotEndWith("/").startsWith("http");
      }
    }
  }

  @Test
  void recordsTheKnownVendorQuirks() {
    assertThat(OpenAiProfiles.profile("anthropic-compat").toolIndexBase()).isEqualTo(1);
    assertThat(OpenAiProfiles.profile("groq").errorEventsInStream()).isTrue();
    assertThat(OpenAiProfiles.profile("openrouter").openRouterExtensions()).isTrue();
    assertThat(OpenAiProfiles.profile("openai").openRouterExtensions()).isFalse();
    assertThat(OpenAiProfiles.profile("openai").maxTokensField())
        .isEqualTo("max_completion_tokens");
    assertThat(OpenAiProfiles.profile("mistral").streamUsage()).isFalse();
    assertThat(OpenAiProfiles.profile("openai").drops("top_k")).isTrue();
    assertThat(OpenAiProfiles.profile("vllm").defaultBaseUrl()).isNull();
    assertThat(OpenAiProfiles.profile("ollama").defaultBaseUrl())
        .isEqualTo("http://localhost:11434/v1");
  }

  @Test
  void namesTheKnownIdsWhenAskedForAnUnknownOne() {
    assertThatThrownBy(() -> OpenAiProfiles.profile("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope")
        .hasMessageContaining("openai");
    assertThat(OpenAiProfiles.find("nope")).isEmpty();
  }
}
