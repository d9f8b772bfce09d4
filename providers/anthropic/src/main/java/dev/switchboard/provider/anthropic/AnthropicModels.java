package dev.switchboard.provider.anthropic;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Claude model can do, read from its upstream id. Anthropic's structured outputs ({@code
 * output_config.format} and {@code strict} tools) are generally available on Claude 4.5 and later
 * (Sonnet 4.5, Haiku 4.5, Opus 4.5, Opus 4.6, Sonnet 4.6, ...), not on Claude 3.x, Sonnet 4, Opus 4
 * or Opus 4.1.
 */
final class AnthropicModels {

  /**
   * {@code claude-<family>-<major>[-<minor>][-<date>]} (2025+ ids) or {@code
   * claude-<major>[-<minor>]-<family>[-<date>]} (Claude 3 ids). A minor version has one or two
   * digits; an eight-digit date is not one.
   */
  private static final Pattern MODERN =
      Pattern.compile("claude-(?:opus|sonnet|haiku)-(\\d{1,2})(?:[-.](\\d{1,2}))?(?![0-9]).*");

  private AnthropicModels() {}

  /** Whether {@code upstreamModel} takes {@code output_config.format} natively. */
  static boolean nativeStructuredOutputs(String upstreamModel) {
    if (upstreamModel == null) {
      return false;
    }
    String id = upstreamModel.toLowerCase(java.util.Locale.ROOT);
    int slash = id.lastIndexOf('/');
    if (slash >= 0) {
      id = id.substring(slash + 1);
    }
    int claude = id.indexOf("claude-");
    if (claude < 0) {
      return false;
    }
    Matcher m = MODERN.matcher(id.substring(claude));
    if (!m.matches()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    return major > 4 || (major == 4 && minor >= 5);
  }
}
