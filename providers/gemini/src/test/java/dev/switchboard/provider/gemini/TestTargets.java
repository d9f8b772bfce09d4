package dev.switchboard.provider.gemini;

import dev.switchboard.core.provider.Target;

/** Targets for tests: Google AI Studio with the profile's default URL and a fake key. */
final class TestTargets {

  static final String GENERATION_ID = "gen-1700000000-AbCdEfGhIjKlMnOpQrSt";
  static final String CLIENT_MODEL = "google/gemini-test";
  static final long CREATED = 1_700_000_000L;

  private TestTargets() {}

  static Target of(String upstreamModel) {
    return new Target(
        "google-ai-studio",
        "Google AI Studio",
        null,
        upstreamModel,
        "test-gemini-key",
        GeminiProfiles.gemini(),
        null);
  }

  static Target flash3() {
    return of("gemini-3-flash-preview");
  }
}
