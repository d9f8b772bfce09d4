package dev.switchboard.server.routing;

import dev.switchboard.core.error.FailureClass;
import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.ReasoningConfig;
import dev.switchboard.server.catalog.Catalog;
import dev.switchboard.server.catalog.ReasoningInfo;

/**
 * Mandatory reasoning (reference §3.7, checklist 105): a request that turns reasoning off ({@code
 * reasoning.effort: "none"}, {@code reasoning_effort: "none"} or {@code reasoning.enabled: false})
 * on a model whose catalog entry says its reasoning is mandatory is a 400 naming the model, except
 * through a {@code ~…-latest} alias, where it gets the model's lowest supported effort instead (an
 * alias may move to such a model under the caller's feet).
 */
public final class ReasoningRules {

  private ReasoningRules() {}

  /** The request to plan: unchanged, upgraded to the lowest effort (aliases), or a 400. */
  public static LlmRequest apply(LlmRequest request, Catalog catalog) {
    ReasoningConfig r = request.reasoning();
    if (r == null || !disables(r)) {
      return request;
    }
    for (ModelRef ref : ModelRef.resolveAll(request.modelChain(), catalog)) {
      ReasoningInfo info = ref.model().reasoning();
      if (info == null || !info.mandatory()) {
        continue;
      }
      if (ref.alias()) {
        return request.withReasoning(
            new ReasoningConfig(info.lowestEffort(), null, r.exclude(), true));
      }
      throw GatewayError.of(
              FailureClass.INVALID_REQUEST,
              "Reasoning is mandatory for "
                  + ref.model().id()
                  + " and cannot be disabled (reasoning.effort \"none\" or reasoning.enabled"
                  + " false).")
          .withMetadata("error_type", "invalid_request")
          .toException();
    }
    return request;
  }

  private static boolean disables(ReasoningConfig r) {
    return "none".equals(r.effort()) || Boolean.FALSE.equals(r.enabled());
  }
}
