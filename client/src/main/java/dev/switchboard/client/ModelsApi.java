package dev.switchboard.client;

import dev.switchboard.api.models.ModelEndpoints;
import dev.switchboard.api.models.ModelInfo;
import dev.switchboard.api.models.ModelList;
import java.util.Map;

/** The catalogue: {@code GET /models}, {@code /model/{id}}, {@code /models/{id}/endpoints}. */
public final class ModelsApi {

  private final Requester requester;

  ModelsApi(Requester requester) {
    this.requester = requester;
  }

  /** Every model (text output), with prices. */
  public ModelList list() {
    return Requester.body(requester.call("GET", "/models", null), ModelList.class);
  }

  /**
   * Models filtered by query parameters ({@code supported_parameters=tools}, {@code
   * output_modalities=all}, {@code offset}, {@code limit}, ...).
   */
  public ModelList list(Map<String, String> query) {
    return Requester.body(
        requester.call("GET", "/models" + Paths.query(query), null), ModelList.class);
  }

  /** One model by id ({@code GET /model/{author}/{slug}}). */
  public ModelInfo get(String id) {
    return Requester.data(
        requester.call("GET", "/model/" + Paths.modelPath(id), null), ModelInfo.class);
  }

  /** A model's provider endpoints with their prices and limits. */
  public ModelEndpoints endpoints(String id) {
    return Requester.data(
        requester.call("GET", "/models/" + Paths.modelPath(id) + "/endpoints", null),
        ModelEndpoints.class);
  }

  /** A model's prices (USD per token), read from {@link #get(String)}. */
  public ModelPricing pricing(String id) {
    return ModelPricing.of(get(id).pricing());
  }
}
