package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.generation.GenerationData;
import dev.switchboard.api.keys.CreatedKey;
import dev.switchboard.api.keys.KeyData;
import dev.switchboard.api.keys.KeyInfo;
import dev.switchboard.api.models.ModelEndpoints;
import dev.switchboard.api.models.ModelInfo;
import dev.switchboard.api.models.ModelList;
import dev.switchboard.api.models.ProviderEntry;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The catalogue, generation records and keys, through the SDK against the gateway. */
@ExtendWith(InProcessGateway.Extension.class)
class GatewayEndpointsIT {

  static final String DEEPSEEK = "deepseek/deepseek-chat-v3-0324";

  static InProcessGateway gw;
  static SwitchboardClient client;

  @BeforeAll
  static void start(InProcessGateway gateway) {
    gw = gateway;
    client = gw.client().build();
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  @Test
  void modelsListCarriesPricesPerToken() {
    ModelList list = client.models().list();
    assertThat(list.totalCount()).isEqualTo(list.data().size());
    ModelInfo deepseek =
        list.data().stream().filter(m -> m.id().equals(DEEPSEEK)).findFirst().orElseThrow();
    ModelPricing pricing = ModelPricing.of(deepseek.pricing());
    assertThat(pricing.prompt()).isPositive();
    assertThat(pricing.promptPerMillion()).isEqualByComparingTo(pricing.prompt().movePointRight(6));
    assertThat(client.models().list(Map.of("offset", "0", "limit", "2")).data()).hasSize(2);
  }

  @Test
  void oneModelItsEndpointsAndItsPricing() {
    ModelInfo model = client.models().get(DEEPSEEK);
    assertThat(model.id()).isEqualTo(DEEPSEEK);
    assertThat(model.contextLength()).isPositive();
    ModelEndpoints endpoints = client.models().endpoints(DEEPSEEK);
    assertThat(endpoints.endpoints()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(endpoints.endpoints())
        .allSatisfy(e -> assertThat(ModelPricing.of(e.pricing()).completion()).isPositive());
    assertThat(client.models().pricing("xiaomi/mimo-v2-flash:free").free()).isTrue();
    NotFoundException e =
        catchThrowableOfType(NotFoundException.class, () -> client.models().get("acme/none"));
    assertThat(e.status()).isEqualTo(404);
  }

  @Test
  void providersAreListedBySlug() {
    assertThat(client.providers()).extracting(ProviderEntry::slug).contains("deepseek", "openai");
  }

  @Test
  void keyInfoDescribesTheCallingKey() {
    KeyInfo key = client.key();
    assertThat(key.label()).startsWith("sk-sb-v1-");
    assertThat(key.isManagementKey()).isFalse();
  }

  @Test
  void generationRecordIsReadRightAfterTheCompletion() {
    ChatResponse r = client.chat().create(Chat.request(DEEPSEEK).user("record me").build());
    GenerationData g = client.generation(r.generationId());
    assertThat(g.id()).isEqualTo(r.generationId());
    assertThat(g.model()).isEqualTo(DEEPSEEK);
    assertThat(g.totalCost()).isEqualByComparingTo(r.cost().orElseThrow());
    assertThat(g.tokensPrompt()).isEqualTo(r.usage().promptTokens());
    assertThat(g.streamed()).isFalse();
  }

  @Test
  void keysAreCreatedListedUpdatedAndDeletedWithAManagementKey() {
    try (SwitchboardClient admin = gw.management().build()) {
      CreatedKey created =
          admin
              .keys()
              .create(KeyRequest.create("ci bot").limit(new BigDecimal("5")).limitReset("monthly"));
      assertThat(created.key()).startsWith("sk-sb-v1-");
      String hash = created.data().hash();
      assertThat(created.data().limit()).isEqualByComparingTo("5");
      assertThat(admin.keys().get(hash).name()).isEqualTo("ci bot");
      assertThat(admin.keys().list()).extracting(KeyData::hash).contains(hash);

      try (SwitchboardClient asNewKey = client.toBuilder().apiKey(created.key()).build()) {
        KeyInfo info = asNewKey.key();
        assertThat(info.limit()).isEqualByComparingTo("5");
        assertThat(info.limitReset()).isEqualTo("monthly");
      }

      KeyData disabled = admin.keys().update(hash, KeyRequest.update().disabled(true).noLimit());
      assertThat(disabled.disabled()).isTrue();
      assertThat(disabled.limit()).isNull();
      assertThat(admin.keys().list()).extracting(KeyData::hash).doesNotContain(hash);
      assertThat(admin.keys().list(0, true)).extracting(KeyData::hash).contains(hash);

      assertThat(admin.keys().delete(hash)).isTrue();
      assertThat(catchThrowableOfType(NotFoundException.class, () -> admin.keys().get(hash)))
          .isNotNull();
    }
  }

  @Test
  void inferenceKeyCannotManageKeys() {
    PermissionDeniedException e =
        catchThrowableOfType(PermissionDeniedException.class, () -> client.keys().list());
    assertThat(e.getMessage()).contains("management");
  }
}
