package dev.switchboard.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeysTest {

  @Test
  void generatesInferenceKeysWithPrefixAnd64LowercaseHex() {
    String key = Keys.generateInferenceKey();

    assertThat(key).matches("sk-sb-v1-[0-9a-f]{64}");
    assertThat(Keys.kindOf(key)).isEqualTo(KeyKind.INFERENCE);
  }

  @Test
  void generatesManagementKeysWithTheirOwnPrefix() {
    String key = Keys.generateManagementKey();

    assertThat(key).matches("sk-sb-mgmt-v1-[0-9a-f]{64}");
    assertThat(Keys.kindOf(key)).isEqualTo(KeyKind.MANAGEMENT);
  }

  @Test
  void neverGeneratesTheSameKeyTwice() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      keys.add(Keys.generateInferenceKey());
    }
    assertThat(keys).hasSize(1000);
  }

  @Test
  void hashesToTheLowercaseHexSha256OfTheKeyString() {
    // sha256("abc"), FIPS 180-2 test vector
    assertThat(Keys.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    String key = Keys.generateInferenceKey();
    assertThat(Keys.hash(key)).matches("[0-9a-f]{64}").isEqualTo(Keys.hash(key));
  }

  @Test
  void labelsShowThePrefixAndThreeCharactersAtEachEndOfTheSecret() {
    String key = "sk-sb-v1-abc" + "0".repeat(58) + "123";

    assertThat(Keys.label(key)).isEqualTo("sk-sb-v1-abc...123");
    assertThat(Keys.label("sk-sb-mgmt-v1-def" + "1".repeat(58) + "789"))
        .isEqualTo("sk-sb-mgmt-v1-def...789");
    assertThat(Keys.label("sk-short")).isEqualTo("***");
    assertThat(Keys.label(Keys.generateInferenceKey()))
        .matches("sk-sb-v1-[0-9a-f]{3}\\.\\.\\.[0-9a-f]{3}");
  }

  @Test
  void labelsOfAnyOtherKeyShowAtMostThreeCharactersAtEachEnd() {
    // A user-chosen master key used to be labelled correct-horse-battery-staple-zebra-***.
    assertThat(Keys.label("correct-horse-battery-staple-zebra-42")).isEqualTo("cor...-42");
    assertThat(Keys.label("sk-sb-v1-my-own-long-secret-with-dashes-9"))
        .isEqualTo("sk-sb-v1-my-...s-9");
    assertThat(Keys.label("sk-or-v1-" + "a".repeat(64))).isEqualTo("sk-...aaa");
    assertThat(Keys.label("-".repeat(40))).isEqualTo("---...---");
    // Too short to show anything: 6 shown characters would be a quarter or more of the secret.
    assertThat(Keys.label("a-master-key-of-24-chars")).isEqualTo("a-m...ars");
    assertThat(Keys.label("a-master-key-of-23-char")).isEqualTo("***");
    assertThat(Keys.label("sk-sb-v1-demo")).isEqualTo("sk-sb-v1-***");
    assertThat(Keys.label("sk-sb-mgmt-v1-" + "x".repeat(23))).isEqualTo("sk-sb-mgmt-v1-***");
  }

  @Test
  void comparesInConstantTimeAndTreatsNullAsUnequal() {
    assertThat(Keys.constantTimeEquals("sk-a", "sk-a")).isTrue();
    assertThat(Keys.constantTimeEquals("sk-a", "sk-b")).isFalse();
    assertThat(Keys.constantTimeEquals("sk-a", "sk-ab")).isFalse();
    assertThat(Keys.constantTimeEquals(null, "sk-a")).isFalse();
  }

  @Test
  void recognisesHashesOnlyWhenTheyAre64AsciiHexCharacters() {
    assertThat(Keys.isHash(Keys.hash("x"))).isTrue();
    assertThat(Keys.isHash(Keys.hash("x").toUpperCase())).isTrue();
    assertThat(Keys.isHash("abc")).isFalse();
    assertThat(Keys.isHash("g".repeat(64))).isFalse();
    assertThat(Keys.isHash("\uFF10".repeat(64))).isFalse();
    assertThat(Keys.isHash(null)).isFalse();
  }
}
