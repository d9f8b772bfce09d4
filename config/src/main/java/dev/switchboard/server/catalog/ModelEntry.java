package dev.switchboard.server.catalog;

import java.util.List;

/**
 * A model of the catalog with its provider endpoints. {@code id} is the slug clients send ({@code
 * author/model}, free variants carry {@code :free}). {@code family} (nullable) groups an author's
 * models for {@code ~author/family-latest} aliases. {@code reasoning} (nullable) is what a
 * reasoning model says of its reasoning.
 */
public record ModelEntry(
    String id,
    String canonicalSlug,
    String name,
    long created,
    String description,
    int contextLength,
    List<String> inputModalities,
    List<String> outputModalities,
    String tokenizer,
    String instructType,
    String family,
    List<EndpointEntry> endpoints,
    ReasoningInfo reasoning) {

  /** A model without reasoning details (a non-reasoning model). */
  public ModelEntry(
      String id,
      String canonicalSlug,
      String name,
      long created,
      String description,
      int contextLength,
      List<String> inputModalities,
      List<String> outputModalities,
      String tokenizer,
      String instructType,
      String family,
      List<EndpointEntry> endpoints) {
    this(
        id,
        canonicalSlug,
        name,
        created,
        description,
        contextLength,
        inputModalities,
        outputModalities,
        tokenizer,
        instructType,
        family,
        endpoints,
        null);
  }

  public ModelEntry {
    canonicalSlug = canonicalSlug == null ? id : canonicalSlug;
    inputModalities = inputModalities == null ? List.of("text") : List.copyOf(inputModalities);
    outputModalities = outputModalities == null ? List.of("text") : List.copyOf(outputModalities);
    endpoints = List.copyOf(endpoints);
  }

  /** {@code text+image->text} style modality string. */
  public String modality() {
    return String.join("+", inputModalities) + "->" + String.join("+", outputModalities);
  }

  /** The author part of the slug ({@code openai} of {@code openai/gpt-5.2}). */
  public String author() {
    int slash = id.indexOf('/');
    return slash < 0 ? id : id.substring(0, slash);
  }

  /** The endpoint with the lowest prompt + completion price, used as the model's headline price. */
  public EndpointEntry cheapestEndpoint() {
    EndpointEntry best = endpoints.getFirst();
    for (EndpointEntry e : endpoints) {
      if (e.pricing()
              .prompt()
              .add(e.pricing().completion())
              .compareTo(best.pricing().prompt().add(best.pricing().completion()))
          < 0) {
        best = e;
      }
    }
    return best;
  }
}
