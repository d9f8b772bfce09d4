package dev.switchboard.provider.anthropic;

import dev.switchboard.core.provider.Target;

/** Targets for tests: the {@code anthropic} profile, its default URL, a fake key. */
final class TestTargets {

  static final String GENERATION_ID = "gen-1700000000-AbCdEfGhIjKlMnOpQrSt";
  static final String CLIENT_MODEL = "anthropic/claude-sonnet-4.5";
  static final long CREATED = 1_700_000_000L;

  /** A model with native structured outputs. */
  static final String SONNET_45 = "claude-sonnet-4-5-20250929";

  /** A model without them: structured output goes through a forced tool. */
  static final String SONNET_4 = "claude-sonnet-4-20250514";

  private TestTargets() {}

  static Target of(String upstreamModel) {
    return of(upstreamModel, null);
  }

  static Target of(String upstreamModel, Integer defaultMaxTokens) {
    return new Target(
        "anthropic",
        "Anthropic",
        null,
        upstreamModel,
        "sk-ant-test-key",
        AnthropicProfiles.profile("anthropic"),
        defaultMaxTokens);
  }

  static Target sonnet45() {
    return of(SONNET_45);
  }
}
