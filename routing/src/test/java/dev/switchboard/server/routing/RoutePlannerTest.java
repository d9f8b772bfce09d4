package dev.switchboard.server.routing;

import static dev.switchboard.server.routing.RoutingFixture.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.error.GatewayException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutePlannerTest {

  private final RoutingFixture f = new RoutingFixture(42);

  @Test
  void defaultSplitFollowsTheInverseSquareOfPrice() {
    // prices 2e-6, 4e-6, 6e-6 → weights 1/4 : 1/16 : 1/36 → 0.7347, 0.1837, 0.0816
    Map<String, Integer> first = new HashMap<>();
    int n = 20_000;
    var request = simple("acme/big", "");
    for (int i = 0; i < n; i++) {
      first.merge(f.order(request).getFirst(), 1, Integer::sum);
    }
    assertThat(first.get("alpha") / (double) n).isCloseTo(0.7347, within(0.015));
    assertThat(first.get("beta") / (double) n).isCloseTo(0.1837, within(0.015));
    assertThat(first.get("gamma") / (double) n).isCloseTo(0.0816, within(0.015));
  }

  @Test
  void everyEndpointStaysAFallbackInTheDefaultOrder() {
    assertThat(f.order(simple("acme/big", ""))).containsExactlyInAnyOrder("alpha", "beta", "gamma");
  }

  @Test
  void anEndpointWithARecentOutageGoesLast() {
    var alpha = f.stats.of("acme/big", "alpha");
    alpha.failure(f.clock.get());
    for (int i = 0; i < 50; i++) {
      assertThat(f.order(simple("acme/big", "")).getLast()).isEqualTo("alpha");
    }
    f.clock.addAndGet(31_000);
    assertThat(f.order(simple("acme/big", "\"provider\":{\"sort\":\"price\"}")).getFirst())
        .isEqualTo("alpha");
  }

  @Test
  void sortByPriceIsStrictAndCheapestFirst() {
    for (int i = 0; i < 20; i++) {
      assertThat(f.order(simple("acme/big", "\"provider\":{\"sort\":\"price\"}")))
          .containsExactly("alpha", "beta", "gamma");
    }
  }

  @Test
  void sortByThroughputAndLatencyUseTheLiveStats() {
    long now = f.clock.get();
    f.stats.of("acme/big", "alpha").success(now, 900, 20);
    f.stats.of("acme/big", "beta").success(now, 100, 200);
    f.stats.of("acme/big", "gamma").success(now, 300, 90);
    assertThat(f.order(simple("acme/big", "\"provider\":{\"sort\":\"throughput\"}")))
        .containsExactly("beta", "gamma", "alpha");
    assertThat(f.order(simple("acme/big", "\"provider\":{\"sort\":\"latency\"}")))
        .containsExactly("beta", "gamma", "alpha");
    assertThat(f.order(simple("acme/big:nitro", ""))).containsExactly("beta", "gamma", "alpha");
    assertThat(f.order(simple("acme/big:floor", ""))).containsExactly("alpha", "beta", "gamma");
  }

  @Test
  void providerOrderComesFirstAndAllowFallbacksFalseKeepsOnlyIt() {
    assertThat(
            f.order(
                simple(
                    "acme/big",
                    "\"provider\":{\"order\":[\"gamma\",\"beta\"],\"sort\":\"price\"}")))
        .containsExactly("gamma", "beta", "alpha");
    assertThat(
            f.order(
                simple(
                    "acme/big",
                    "\"provider\":{\"order\":[\"Gamma Cloud\"],\"allow_fallbacks\":false}")))
        .containsExactly("gamma");
    assertThat(
            f.order(
                simple("acme/big", "\"provider\":{\"allow_fallbacks\":false,\"sort\":\"price\"}")))
        .containsExactly("alpha");
  }

  @Test
  void onlyAndIgnoreMatchSlugsAndDisplayNamesCaseInsensitively() {
    assertThat(
            f.order(
                simple(
                    "acme/big",
                    "\"provider\":{\"only\":[\"BETA\",\"gamma cloud\"],\"sort\":\"price\"}")))
        .containsExactly("beta", "gamma");
    assertThat(
            f.order(simple("acme/big", "\"provider\":{\"ignore\":[\"alpha\"],\"sort\":\"price\"}")))
        .containsExactly("beta", "gamma");
    assertThatThrownBy(() -> f.order(simple("acme/big", "\"provider\":{\"only\":[\"nobody\"]}")))
        .isInstanceOf(GatewayException.class)
        .satisfies(e -> assertThat(((GatewayException) e).error().httpStatus()).isEqualTo(404));
  }

  @Test
  void dataPolicyFiltersAndSaysSoWhenNothingIsLeft() {
    assertThat(
            f.order(
                simple(
                    "acme/big", "\"provider\":{\"data_collection\":\"deny\",\"sort\":\"price\"}")))
        .containsExactly("alpha", "gamma");
    assertThat(f.order(simple("acme/big", "\"provider\":{\"zdr\":true}"))).containsExactly("gamma");
    assertThatThrownBy(
            () ->
                f.order(
                    simple(
                        "acme/small", "\"provider\":{\"zdr\":true,\"data_collection\":\"deny\"}")))
        .hasMessageContaining("No endpoints found matching your data policy");
  }

  @Test
  void quantizationsAndMaxPriceAreHardFilters() {
    assertThat(
            f.order(
                simple(
                    "acme/big",
                    "\"provider\":{\"quantizations\":[\"fp8\",\"bf16\"],\"sort\":\"price\"}")))
        .containsExactly("beta", "gamma");
    assertThat(
            f.order(
                simple(
                    "acme/big",
                    "\"provider\":{\"max_price\":{\"prompt\":2,\"completion\":\"2\"},\"sort\":\"price\"}")))
        .containsExactly("alpha", "beta");
    assertThatThrownBy(
            () -> f.order(simple("acme/big", "\"provider\":{\"max_price\":{\"prompt\":0.5}}")))
        .hasMessageContaining("max_price");
  }

  @Test
  void maxTokensAboveAnEndpointsLimitRemovesIt() {
    assertThat(f.order(simple("acme/big", "\"max_tokens\":5000,\"provider\":{\"sort\":\"price\"}")))
        .containsExactly("alpha", "beta");
  }

  @Test
  void requireParametersDropsEndpointsWithoutThem() {
    assertThatThrownBy(
            () ->
                f.order(
                    simple("acme/big", "\"top_k\":5,\"provider\":{\"require_parameters\":true}")))
        .hasMessageContaining("requested parameters");
    assertThat(f.order(simple("acme/big", "\"top_k\":5"))).hasSize(3);
  }

  @Test
  void imageInputNeedsAModelThatTakesImages() {
    String image =
        "{\"model\":\"acme/small\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
            + "\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}]}";
    assertThatThrownBy(() -> f.order(RoutingFixture.request(image)))
        .hasMessageContaining("No endpoints found that support image input");
    assertThat(f.order(RoutingFixture.request(image.replace("acme/small", "acme/big")))).hasSize(3);
  }

  @Test
  void preferredLatencyMovesSlowEndpointsLastButNeverFails() {
    long now = f.clock.get();
    f.stats.of("acme/big", "alpha").success(now, 4_000, 10);
    assertThat(
            f.order(
                simple(
                    "acme/big", "\"provider\":{\"sort\":\"price\",\"preferred_max_latency\":1}")))
        .containsExactly("beta", "gamma", "alpha");
    assertThat(
            f.order(
                simple(
                    "acme/big",
                    "\"provider\":{\"sort\":\"price\",\"preferred_min_throughput\":{\"p50\":50}}")))
        .containsExactly("beta", "gamma", "alpha");
  }

  @Test
  void openBreakerPutsTheEndpointLast() {
    var alpha = f.stats.of("acme/big", "alpha");
    for (int i = 0; i < 3; i++) {
      alpha.rateLimited(f.clock.get());
    }
    assertThat(f.order(simple("acme/big", "\"provider\":{\"sort\":\"price\"}")))
        .containsExactly("beta", "gamma", "alpha");
  }

  @Test
  void fallbackModelsFollowThePrimaryAndPartitionNoneMergesThem() {
    assertThat(
            f.order(
                simple(
                    "acme/big", "\"models\":[\"acme/small\"],\"provider\":{\"sort\":\"price\"}")))
        .containsExactly("alpha", "beta", "gamma", "free-host", "delta");
    assertThat(
            f.order(
                simple(
                    "acme/big",
                    "\"models\":[\"acme/small\"],\"provider\":{\"sort\":{\"by\":\"price\",\"partition\":\"none\"}}")))
        .containsExactly("free-host", "delta", "alpha", "beta", "gamma");
  }

  @Test
  void freeVariantKeepsOnlyFreeEndpoints() {
    assertThat(f.order(simple("acme/small:free", ""))).containsExactly("free-host");
    ModelRef stacked = ModelRef.resolve("acme/small:free:online", f.catalog);
    assertThat(stacked.model().id()).isEqualTo("acme/small:free");
    assertThat(stacked.has(ModelRef.Variant.ONLINE)).isTrue();
    assertThat(f.order(simple("acme/small:online:free", ""))).containsExactly("free-host");
    assertThatThrownBy(() -> f.order(simple("acme/big:free", "")))
        .hasMessage("No free endpoints found for acme/big (:free).");
  }

  /**
   * Every filter that can leave nothing names itself in the message and in {@code
   * metadata.excluded_by} (docs/routing.md §2). {@code provider.quantizations} used to answer only
   * "No endpoints found for acme/big." with no excluded_by.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "acme/plain | \"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]"
            + " | tools | No endpoints found that support tool use.",
        "acme/small:free | \"provider\":{\"zdr\":true} | data_policy:zdr"
            + " | No endpoints found matching your data policy (provider.zdr).",
        "acme/small:free | \"provider\":{\"data_collection\":\"deny\"} | data_policy:training"
            + " | No endpoints found matching your data policy (provider.data_collection: deny).",
        "acme/big | \"provider\":{\"max_price\":{\"completion\":0.5}} | max_price"
            + " | No endpoints found that meet the max_price constraint for acme/big.",
        "acme/big | \"top_k\":5,\"provider\":{\"require_parameters\":true} | require_parameters"
            + " | No endpoints found that can handle the requested parameters"
            + " (provider.require_parameters).",
        "acme/small | \"max_tokens\":5000 | context_length"
            + " | No endpoints found for acme/small that fit the prompt and max_tokens.",
        "acme/big | \"provider\":{\"quantizations\":[\"int4\"]} | quantization"
            + " | No endpoints found for acme/big with the requested provider.quantizations.",
        "acme/big | \"provider\":{\"only\":[\"nobody\"]} | allowed_providers"
            + " | No endpoints found for acme/big with the requested providers (provider.only).",
        "acme/small:free | \"provider\":{\"ignore\":[\"free-host\"]} | allowed_providers"
            + " | No endpoints found for acme/small:free with the requested providers"
            + " (provider.ignore).",
        "acme/big | \"provider\":{\"order\":[\"nobody\"],\"allow_fallbacks\":false}"
            + " | allowed_providers | No endpoints found for acme/big with the requested"
            + " providers (provider.order with allow_fallbacks: false).",
        "acme/big:free | | free | No free endpoints found for acme/big (:free).",
        "acme/orphan | | provider_not_enabled"
            + " | No endpoints found for acme/orphan: its providers are not enabled on this"
            + " gateway.",
      })
  void eachFilterThatLeavesNothingNamesItself(
      String model, String extra, String excludedBy, String message) {
    GatewayError error = noRoute(simple(model, extra == null ? "" : extra));
    assertThat(error.httpStatus()).isEqualTo(404);
    assertThat(error.message()).startsWith(message);
    assertThat(error.metadata().get("excluded_by")).isEqualTo(List.of(excludedBy));
  }

  @Test
  void inputModalitiesAndAnOverlongPromptNameTheirFilterToo() {
    String image =
        "{\"model\":\"acme/small\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
            + "\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}]}";
    GatewayError noImages = noRoute(RoutingFixture.request(image));
    assertThat(noImages.message()).isEqualTo("No endpoints found that support image input.");
    assertThat(noImages.metadata().get("excluded_by")).isEqualTo(List.of("input_modalities"));

    String prompt = "word ".repeat(120_000); // about 150,000 tokens; the context is 100,000
    GatewayError tooLong =
        noRoute(
            RoutingFixture.request(
                "{\"model\":\"acme/small\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + prompt
                    + "\"}]}"));
    assertThat(tooLong.metadata().get("excluded_by")).isEqualTo(List.of("context_length"));
    assertThat(tooLong.metadata().get("reasons").toString()).contains("exceeds its context");
  }

  @Test
  void severalFiltersAreAllNamedWithTheFirstInTheMessage() {
    // alpha has no known quantization, gamma is bf16, beta is fp8 but costs 2 per million.
    GatewayError error =
        noRoute(
            simple(
                "acme/big",
                "\"provider\":{\"quantizations\":[\"fp8\"],\"max_price\":{\"prompt\":1.5}}"));
    assertThat(error.message())
        .isEqualTo(
            "No endpoints found that meet the max_price constraint for acme/big. Other endpoints"
                + " were excluded by provider.quantizations.");
    assertThat(error.metadata().get("excluded_by")).isEqualTo(List.of("max_price", "quantization"));
  }

  private GatewayError noRoute(dev.switchboard.core.model.LlmRequest request) {
    try {
      f.planner.plan(request);
    } catch (GatewayException e) {
      return e.error();
    }
    throw new AssertionError("expected no route");
  }

  @Test
  void stickySessionReturnsToTheSameProvider() {
    f.sticky.succeeded("k", "acme/big", "s:abc", "gamma");
    RoutePlan plan =
        f.planner.plan(
            simple("acme/big", "\"session_id\":\"abc\""),
            new RoutePlanner.Context("k", null, false, null));
    assertThat(plan.candidates().getFirst().endpoint().provider()).isEqualTo("gamma");
    RoutePlan pinned =
        f.planner.plan(
            simple("acme/big", "\"session_id\":\"abc\",\"provider\":{\"order\":[\"beta\"]}"),
            new RoutePlanner.Context("k", null, false, null));
    assertThat(pinned.candidates().getFirst().endpoint().provider()).isEqualTo("beta");
  }

  @Test
  void hedgingIsOnWhenAskedButNeverForStoredCompletions() {
    assertThat(f.planner.plan(simple("acme/big", "\"provider\":{\"hedge\":true}")).hedge())
        .isTrue();
    assertThat(
            f.planner
                .plan(simple("acme/big", "\"store\":true,\"provider\":{\"hedge\":true}"))
                .hedge())
        .isFalse();
    assertThat(
            f.planner
                .plan(simple("acme/big", ""), new RoutePlanner.Context(null, null, true, 250L))
                .hedgeDelayMs())
        .isEqualTo(250L);
  }

  @Test
  void preferencesGivenInTheContextReplaceTheRequestsOwn() throws Exception {
    // The plan stage passes the request's preferences narrowed by the key's guardrails.
    var narrowed =
        dev.switchboard.core.model.ProviderPreferences.parse(
            dev.switchboard.api.json.ApiJson.tree("{\"only\":[\"beta\"]}"));
    RoutePlan plan =
        f.planner.plan(
            simple("acme/big", "\"provider\":{\"order\":[\"gamma\"]}"),
            new RoutePlanner.Context(null, null, false, null, narrowed));
    assertThat(plan.candidates()).extracting(c -> c.endpoint().provider()).containsExactly("beta");
  }

  @Test
  void traceExplainsExclusions() {
    RoutePlan plan = f.planner.plan(simple("acme/big", "\"provider\":{\"zdr\":true}"));
    assertThat(plan.decisions())
        .anySatisfy(
            d -> {
              assertThat(d.provider()).isEqualTo("alpha");
              assertThat(d.selected()).isFalse();
              assertThat(d.reason()).isEqualTo("zdr");
            });
  }

  @Test
  void unknownVariantOrModelIsA400() {
    for (String bad : List.of("acme/big:turbo", "acme/nothing", "~acme/nope-latest")) {
      assertThatThrownBy(() -> f.order(simple(bad, "")))
          .isInstanceOf(GatewayException.class)
          .satisfies(
              e ->
                  assertThat(((GatewayException) e).error().kind())
                      .isEqualTo(FailureClass.INVALID_REQUEST))
          .hasMessage(bad + " is not a valid model ID");
    }
  }

  @Test
  void latestAliasResolvesToTheNewestOfTheFamily() {
    ModelRef ref = ModelRef.resolve("~acme/big-latest", f.catalog);
    assertThat(ref.model().id()).isEqualTo("acme/big");
    assertThat(ref.alias()).isTrue();
  }

  @Test
  void badProviderObjectsAreA400NamingTheField() {
    assertThatThrownBy(() -> f.order(simple("acme/big", "\"provider\":{\"sort\":\"fastest\"}")))
        .hasMessageContaining("provider.sort");
    assertThatThrownBy(() -> f.order(simple("acme/big", "\"provider\":{\"order\":\"alpha\"}")))
        .hasMessageContaining("provider.order");
    assertThatThrownBy(() -> f.order(simple("acme/big", "\"provider\":{\"speed\":1}")))
        .hasMessageContaining("provider.speed");
  }
}
