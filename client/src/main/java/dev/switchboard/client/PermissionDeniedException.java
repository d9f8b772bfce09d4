package dev.switchboard.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * 403: the key may not do this (an inference key managing keys, a management key calling
 * inference), or a guardrail or moderation blocked the input. {@link #moderation()} gives the
 * moderation details when the input was flagged.
 */
public class PermissionDeniedException extends SwitchboardException {

  private static final long serialVersionUID = 1L;

  PermissionDeniedException(ErrorInfo info) {
    super(info);
  }

  /**
   * The moderation details of OpenRouter's {@code ModerationErrorMetadata} ({@code reasons}, {@code
   * flagged_input}, {@code provider_name}, {@code model_slug}), when the metadata has them.
   */
  public Optional<Moderation> moderation() {
    Map<String, Object> m = metadata();
    if (!m.containsKey("reasons") && !m.containsKey("flagged_input")) {
      return Optional.empty();
    }
    List<String> reasons =
        m.get("reasons") instanceof List<?> list
            ? list.stream().map(String::valueOf).toList()
            : List.of();
    return Optional.of(
        new Moderation(
            reasons,
            string(m.get("flagged_input")),
            string(m.get("provider_name")),
            string(m.get("model_slug"))));
  }

  private static String string(Object o) {
    return o == null ? null : o.toString();
  }

  /**
   * Why an input was flagged: the reasons, the flagged text (at most 100 characters, cut in the
   * middle), the provider that asked for moderation and the model.
   */
  public record Moderation(
      List<String> reasons, String flaggedInput, String providerName, String modelSlug) {
    public Moderation {
      reasons = List.copyOf(reasons);
    }
  }
}
