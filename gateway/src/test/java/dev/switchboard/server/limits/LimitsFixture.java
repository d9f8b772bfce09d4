package dev.switchboard.server.limits;

import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.openai.OpenAiChatCodec;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.catalog.EndpointEntry;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.catalog.Pricing;
import dev.switchboard.server.config.LimitsConfig;
import dev.switchboard.server.storage.ApiKey;
import dev.switchboard.server.storage.KeyKind;
import dev.switchboard.server.storage.Keys;
import dev.switchboard.server.storage.NewKey;
import dev.switchboard.server.storage.Storage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A tiny catalog with round prices, in-memory storage and a hand-moved clock for admission tests.
 *
 * <p>{@code acme/paid}: two endpoints, the dearer at $10/M prompt and $20/M completion (so one
 * completion token costs $0.00002), at most 1,000 output tokens. {@code acme/paid} has a cheaper
 * endpoint too, which the worst case must ignore. {@code acme/free:free} costs nothing.
 */
final class LimitsFixture {

  static final String PAID = "acme/paid";
  static final String FREE = "acme/free:free";
  static final String OTHER = "other/model";

  final TestClock clock;
  final Storage storage;
  final Catalog catalog;
  final Admission admission;

  LimitsFixture(String now) {
    this(now, LimitsConfig.DEFAULT);
  }

  LimitsFixture(String now, LimitsConfig config) {
    this(now, config, PromptEstimator::estimate);
  }

  LimitsFixture(String now, LimitsConfig config, Admission.Estimator estimator) {
    clock = new TestClock(Instant.parse(now));
    storage = Storage.inMemory(clock);
    catalog = catalog();
    admission = Admission.local(config, catalog, storage, clock, estimator);
  }

  static Catalog catalog() {
    return new Catalog(
        List.of(
            model(
                PAID,
                endpoint("cheap", "0.000001", "0.000002", 1_000, null),
                endpoint("dear", "0.00001", "0.00002", 1_000, null)),
            model(FREE, endpoint("cheap", "0", "0", 500, null)),
            model(OTHER, endpoint("dear", "0.00001", "0.00002", null, "0.01"))),
        List.of());
  }

  static ModelEntry model(String id, EndpointEntry... endpoints) {
    return new ModelEntry(
        id, null, id, 0, null, 100_000, null, null, "GPT", null, null, List.of(endpoints));
  }

  static EndpointEntry endpoint(
      String provider, String prompt, String completion, Integer maxOut, String request) {
    return new EndpointEntry(
        provider,
        "up-" + provider,
        null,
        new Pricing(
            new BigDecimal(prompt),
            new BigDecimal(completion),
            request == null ? null : new BigDecimal(request),
            null,
            null,
            null,
            null,
            null),
        100_000,
        maxOut,
        List.of("max_tokens", "tools"),
        null,
        false,
        true,
        false,
        null);
  }

  /** An inference key with {@code limit} USD (null: unlimited) reset over {@code reset}. */
  ApiKey key(String name, String limit, String reset) {
    String plaintext = Keys.generateInferenceKey();
    return storage
        .keys()
        .create(
            NewKey.of(plaintext, name, KeyKind.INFERENCE)
                .withLimit(limit == null ? null : new BigDecimal(limit), reset));
  }

  static LlmRequest request(String model, Integer maxTokens, String extra) {
    String json =
        "{\"model\":\""
            + model
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]"
            + (maxTokens == null ? "" : ",\"max_tokens\":" + maxTokens)
            + (extra == null ? "" : "," + extra)
            + "}";
    return OpenAiChatCodec.toCanonical(json.getBytes(StandardCharsets.UTF_8));
  }

  Admission.Outcome admit(ApiKey key, LlmRequest request) {
    return admission.admit(AdmissionFacts.of(key, request));
  }

  /** A UTC clock tests move by hand. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant now) {
      this.now = now;
    }

    void set(String iso) {
      now = Instant.parse(iso);
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
