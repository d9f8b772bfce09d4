package dev.switchboard.client;

/** Argument and state checks with messages that say the rule and the value. */
final class Checks {

  private Checks() {}

  static void requireArgument(boolean ok, String template, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(template, args));
    }
  }

  static void requireState(boolean ok, String template, Object... args) {
    if (!ok) {
      throw new IllegalStateException(String.format(template, args));
    }
  }

  static String requireText(String value, String name) {
    requireArgument(value != null && !value.isBlank(), "%s must not be blank", name);
    return value;
  }
}
