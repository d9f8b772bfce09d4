package dev.switchboard.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.ProviderPreferences;
import dev.switchboard.server.storage.Guardrail;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyPolicyTest {

  static Guardrail g(List<String> allowed, List<String> ignored, boolean zdr, boolean deny) {
    return new Guardrail(
        java.util.UUID.randomUUID().toString(),
        "g",
        null,
        null,
        null,
        false,
        null,
        null,
        allowed,
        ignored,
        zdr,
        deny,
        Instant.EPOCH,
        null);
  }

  static ProviderPreferences prefs(String json) throws Exception {
    JsonNode n = ApiJson.tree(json);
    return ProviderPreferences.parse(n);
  }

  @Test
  void allowListsIntersectDenyListsAddUpAndPrivacyIsOred() throws Exception {
    KeyPolicy p =
        KeyPolicy.of(
            List.of(
                g(List.of("alpha", "Beta Cloud", "gamma"), List.of("delta"), false, true),
                g(List.of("beta-cloud", "gamma"), List.of("epsilon"), true, false)));
    assertThat(p.allowedProviders()).containsExactlyInAnyOrder("beta-cloud", "gamma");
    ProviderPreferences out = p.applyTo(prefs("{\"zdr\":false}"));
    assertThat(out.only()).containsExactlyInAnyOrder("beta-cloud", "gamma");
    assertThat(out.ignore()).containsExactlyInAnyOrder("delta", "epsilon");
    assertThat(out.zdr()).isTrue();
    assertThat(out.dataCollectionDeny()).isTrue();
  }

  @Test
  void aRequestNarrowsTheAllowListButCannotWidenIt() throws Exception {
    KeyPolicy p = KeyPolicy.of(List.of(g(List.of("alpha", "beta"), null, false, false)));
    assertThat(p.applyTo(prefs("{\"only\":[\"beta\",\"zeta\"]}")).only()).containsExactly("beta");
    assertThat(p.applyTo(prefs("{\"only\":[\"zeta\"]}")).only()).isEmpty();
    assertThat(p.applyTo(prefs("{\"ignore\":[\"x\"]}")).ignore()).containsExactly("x");
  }

  @Test
  void noGuardrailChangesNothing() throws Exception {
    ProviderPreferences in = prefs("{\"only\":[\"beta\"]}");
    assertThat(KeyPolicy.NONE.applyTo(in)).isSameAs(in);
  }

  @Test
  void modelListsMatchIdsBasesAndAuthors() {
    assertThat(KeyPolicy.matchesAny(List.of("acme/paid"), "acme/paid:free")).isTrue();
    assertThat(KeyPolicy.matchesAny(List.of("acme/*"), "acme/other")).isTrue();
    assertThat(KeyPolicy.matchesAny(List.of("acme/paid:free"), "acme/paid")).isFalse();
  }
}
