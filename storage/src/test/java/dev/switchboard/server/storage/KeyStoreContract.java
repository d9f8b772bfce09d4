package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link KeyStore} implementation shares; subclasses say how to open one. */
abstract class KeyStoreContract {

  /** A Wednesday. */
  static final String WEDNESDAY = "2025-03-05T10:00:00Z";

  final MutableClock clock = MutableClock.at(WEDNESDAY);
  Storage storage;

  abstract Storage open(MutableClock clock);

  @BeforeEach
  void openStorage() {
    storage = open(clock);
  }

  @AfterEach
  void closeStorage() {
    storage.close();
  }

  KeyStore keys() {
    return storage.keys();
  }

  static BigDecimal usd(String amount) {
    return Usd.normalize(new BigDecimal(amount));
  }

  ApiKey createKey(String name) {
    return keys().create(NewKey.of(Keys.generateInferenceKey(), name, KeyKind.INFERENCE));
  }

  @Test
  void createsAKeyAndFindsItByItsHash() {
    String plaintext = Keys.generateInferenceKey();
    NewKey spec =
        new NewKey(
            Keys.hash(plaintext),
            "Production",
            Keys.label(plaintext),
            KeyKind.INFERENCE,
            new BigDecimal("100"),
            "monthly",
            true,
            Instant.parse("2027-12-31T23:59:59Z"),
            "user_1");

    ApiKey created = keys().create(spec);

    assertThat(created.hash()).isEqualTo(Keys.hash(plaintext));
    assertThat(created.createdAt()).isEqualTo(Instant.parse(WEDNESDAY));
    assertThat(created.updatedAt()).isNull();
    assertThat(created.usage()).isEqualTo(KeyUsage.ZERO);
    assertThat(created.limitRemaining()).isEqualTo(usd("100"));
    assertThat(keys().findByHash(Keys.hash(plaintext))).contains(created);
    assertThat(keys().findByHash(Keys.hash(plaintext).toUpperCase())).contains(created);
  }

  @Test
  void findsNothingForAnUnknownOrMalformedHash() {
    assertThat(keys().findByHash(Keys.hash("sk-sb-v1-unknown"))).isEmpty();
    assertThat(keys().findByHash("not-a-hash")).isEmpty();
    assertThat(keys().findByHash(null)).isEmpty();
  }

  @Test
  void aKeyCreatedAfterAFailedLookupIsFoundAtOnce() {
    String plaintext = Keys.generateInferenceKey();
    assertThat(keys().findByHash(Keys.hash(plaintext))).isEmpty();

    keys().create(NewKey.of(plaintext, "late", KeyKind.INFERENCE));

    assertThat(keys().findByHash(Keys.hash(plaintext))).isPresent();
  }

  @Test
  void refusesASecondKeyWithTheSameHash() {
    String plaintext = Keys.generateInferenceKey();
    keys().create(NewKey.of(plaintext, "first", KeyKind.INFERENCE));

    assertThatThrownBy(() -> keys().create(NewKey.of(plaintext, "second", KeyKind.INFERENCE)))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.error().kind()).isEqualTo(FailureClass.INVALID_REQUEST));
    assertThat(keys().findByHash(Keys.hash(plaintext)).orElseThrow().name()).isEqualTo("first");
  }

  @Test
  void refusesALimitResetOutsideDailyWeeklyMonthly() {
    NewKey spec = NewKey.of(Keys.generateInferenceKey(), "k", KeyKind.INFERENCE);

    assertThatThrownBy(() -> spec.withLimit(BigDecimal.TEN, "yearly"))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.error().httpStatus()).isEqualTo(400));
    assertThatThrownBy(() -> KeyPatch.empty().withLimitReset("hourly"))
        .isInstanceOf(GatewayException.class);
  }

  @Test
  void updatesOnlyThePatchedFieldsAndStampsTheUpdateTime() {
    ApiKey key =
        keys()
            .create(
                NewKey.of(Keys.generateInferenceKey(), "old", KeyKind.INFERENCE)
                    .withLimit(new BigDecimal("5"), "daily"));
    clock.advance(Duration.ofMinutes(1));

    ApiKey updated =
        keys()
            .update(key.hash(), KeyPatch.empty().withName("new").withIncludeByokInLimit(true))
            .orElseThrow();

    assertThat(updated.name()).isEqualTo("new");
    assertThat(updated.includeByokInLimit()).isTrue();
    assertThat(updated.limit()).isEqualTo(usd("5"));
    assertThat(updated.limitReset()).isEqualTo("daily");
    assertThat(updated.createdAt()).isEqualTo(key.createdAt());
    assertThat(updated.updatedAt()).isEqualTo(Instant.parse(WEDNESDAY).plusSeconds(60));
    assertThat(keys().findByHash(key.hash())).contains(updated);
  }

  @Test
  void aPatchCanMakeAKeyUnlimited() {
    ApiKey key =
        keys()
            .create(
                NewKey.of(Keys.generateInferenceKey(), "k", KeyKind.INFERENCE)
                    .withLimit(new BigDecimal("5"), "weekly"));

    ApiKey updated =
        keys()
            .update(key.hash(), KeyPatch.empty().withLimit(null).withLimitReset(null))
            .orElseThrow();

    assertThat(updated.limit()).isNull();
    assertThat(updated.limitReset()).isNull();
    assertThat(updated.limitRemaining()).isNull();
  }

  @Test
  void aDisabledKeyIsInactiveRightAfterThePatchEvenWhenItWasJustLookedUp() {
    ApiKey key = createKey("to disable");
    assertThat(keys().findByHash(key.hash()).orElseThrow().isActive(clock.instant())).isTrue();

    keys().update(key.hash(), KeyPatch.empty().withDisabled(true));

    ApiKey found = keys().findByHash(key.hash()).orElseThrow();
    assertThat(found.disabled()).isTrue();
    assertThat(found.isActive(clock.instant())).isFalse();
  }

  @Test
  void anExpiredKeyIsInactiveFromItsExpiryInstantOn() {
    Instant expiry = Instant.parse(WEDNESDAY).plusSeconds(3600);
    ApiKey key =
        keys()
            .create(
                NewKey.of(Keys.generateInferenceKey(), "short-lived", KeyKind.INFERENCE)
                    .withExpiresAt(expiry));

    ApiKey found = keys().findByHash(key.hash()).orElseThrow();

    assertThat(found.isActive(expiry.minusMillis(1))).isTrue();
    assertThat(found.isExpired(expiry)).isTrue();
    assertThat(found.isActive(expiry)).isFalse();
  }

  @Test
  void aDeletedKeyIsGoneAtOnce() {
    ApiKey key = createKey("to delete");
    assertThat(keys().findByHash(key.hash())).isPresent();

    assertThat(keys().delete(key.hash())).isTrue();

    assertThat(keys().findByHash(key.hash())).isEmpty();
    assertThat(keys().delete(key.hash())).isFalse();
    assertThat(keys().update(key.hash(), KeyPatch.empty().withName("x"))).isEmpty();
    assertThat(keys().list(0, 100, true)).isEmpty();
  }

  @Test
  void listsKeysNewestFirstInPagesOfOneHundred() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      created.add(0, createKey("key-" + i).hash());
      clock.advance(Duration.ofMillis(1));
    }

    List<ApiKey> first = keys().list(0, 100, false);
    List<ApiKey> second = keys().list(100, 100, false);
    List<ApiKey> third = keys().list(200, 100, false);

    assertThat(first).hasSize(100);
    assertThat(second).hasSize(100);
    assertThat(third).hasSize(50);
    assertThat(keys().list(300, 100, false)).isEmpty();
    List<String> all = new ArrayList<>();
    for (List<ApiKey> page : List.of(first, second, third)) {
      page.forEach(k -> all.add(k.hash()));
    }
    assertThat(all).isEqualTo(created);
    assertThat(first.get(0).name()).isEqualTo("key-249");
  }

  @Test
  void listsDisabledKeysOnlyWhenAsked() {
    ApiKey active = createKey("active");
    ApiKey disabled = createKey("disabled");
    keys().update(disabled.hash(), KeyPatch.empty().withDisabled(true));

    assertThat(keys().list(0, 100, false)).extracting(ApiKey::hash).containsExactly(active.hash());
    Set<String> all = new HashSet<>();
    keys().list(0, 100, true).forEach(k -> all.add(k.hash()));
    assertThat(all).containsExactlyInAnyOrder(active.hash(), disabled.hash());
  }

  @Test
  void countsUsageAsSoonAsItIsCharged() {
    ApiKey key = createKey("spender");

    keys().addUsage(key.hash(), new BigDecimal("0.000000015"), clock.instant());
    keys().addUsage(key.hash(), new BigDecimal("1.5"), clock.instant());

    assertThat(keys().usage(key.hash()).total()).isEqualTo(usd("1.500000015"));
    assertThat(keys().findByHash(key.hash()).orElseThrow().usage().daily())
        .isEqualTo(usd("1.500000015"));
    assertThat(keys().usage(Keys.hash("unknown"))).isEqualTo(KeyUsage.ZERO);
  }

  @Test
  void dailyUsageResetsAtMidnightUtcWeeklyOnMondayAndMonthlyOnTheFirst() {
    ApiKey key = createKey("windows");
    keys().addUsage(key.hash(), usd("1"), Instant.parse("2025-03-05T09:00:00Z")); // today
    keys().addUsage(key.hash(), usd("2"), Instant.parse("2025-03-03T00:00:00Z")); // Monday
    keys().addUsage(key.hash(), usd("4"), Instant.parse("2025-03-02T23:59:59Z")); // last Sunday
    keys().addUsage(key.hash(), usd("8"), Instant.parse("2025-02-28T12:00:00Z")); // last month

    assertUsage(key, "1", "3", "7", "15");

    clock.set("2025-03-05T23:59:59.999Z");
    assertUsage(key, "1", "3", "7", "15");

    clock.set("2025-03-06T00:00:00Z");
    assertUsage(key, "0", "3", "7", "15");

    clock.set("2025-03-09T23:59:59Z");
    assertUsage(key, "0", "3", "7", "15");

    clock.set("2025-03-10T00:00:00Z"); // next Monday
    assertUsage(key, "0", "0", "7", "15");

    clock.set("2025-04-01T00:00:00Z");
    assertUsage(key, "0", "0", "0", "15");
  }

  @Test
  void keepsByokSpendApartAndCountsItAgainstTheLimitOnlyWhenAsked() {
    ApiKey key =
        keys()
            .create(
                NewKey.of(Keys.generateInferenceKey(), "byok", KeyKind.INFERENCE)
                    .withLimit(usd("10"), "daily"));
    keys().charge(new UsageCharge(key.hash(), usd("1"), usd("3"), clock.instant(), "gen-1-abc"));

    KeyUsage usage = keys().usage(key.hash());
    assertThat(usage.daily()).isEqualTo(usd("1"));
    assertThat(usage.byokDaily()).isEqualTo(usd("3"));
    assertThat(usage.byokMonthly()).isEqualTo(usd("3"));
    assertThat(keys().findByHash(key.hash()).orElseThrow().limitRemaining()).isEqualTo(usd("9"));

    keys().update(key.hash(), KeyPatch.empty().withIncludeByokInLimit(true));

    assertThat(keys().findByHash(key.hash()).orElseThrow().limitRemaining()).isEqualTo(usd("6"));
  }

  @Test
  void limitRemainingFollowsTheResetWindowAndNeverGoesBelowZero() {
    ApiKey key =
        keys()
            .create(
                NewKey.of(Keys.generateInferenceKey(), "limited", KeyKind.INFERENCE)
                    .withLimit(usd("5"), "daily"));
    keys().addUsage(key.hash(), usd("4"), clock.instant().minus(Duration.ofDays(1)));
    keys().addUsage(key.hash(), usd("2"), clock.instant());

    assertThat(keys().findByHash(key.hash()).orElseThrow().limitRemaining()).isEqualTo(usd("3"));

    keys().update(key.hash(), KeyPatch.empty().withLimitReset(null));

    assertThat(keys().findByHash(key.hash()).orElseThrow().limitRemaining()).isEqualTo(usd("0"));
  }

  void assertUsage(ApiKey key, String daily, String weekly, String monthly, String total) {
    KeyUsage usage = keys().usage(key.hash());
    assertThat(usage.daily()).as("daily").isEqualTo(usd(daily));
    assertThat(usage.weekly()).as("weekly").isEqualTo(usd(weekly));
    assertThat(usage.monthly()).as("monthly").isEqualTo(usd(monthly));
    assertThat(usage.total()).as("total").isEqualTo(usd(total));
  }
}
