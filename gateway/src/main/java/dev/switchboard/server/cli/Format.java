package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** How the CLI shows money, prices and counts. */
final class Format {

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private Format() {}

  /** USD with at most six decimals ({@code $0.000534}); {@code -} when absent. */
  static String usd(BigDecimal v) {
    if (v == null) {
      return "-";
    }
    BigDecimal r = v.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    return "$" + (r.signum() == 0 ? "0" : r.toPlainString());
  }

  /** A USD field of a JSON answer. */
  static String usd(JsonNode v) {
    return usd(decimal(v));
  }

  /** A per-token price as USD per million tokens ({@code "0.00000175"} is {@code $1.75}). */
  static String perMillion(JsonNode perToken) {
    BigDecimal v = decimal(perToken);
    if (v == null) {
      return "-";
    }
    return "$" + v.multiply(MILLION).stripTrailingZeros().toPlainString();
  }

  /** A number or decimal string of a JSON answer, or null. */
  static BigDecimal decimal(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    try {
      return v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A whole number with thousands separators ({@code 1,048,576}); {@code -} when absent. */
  static String count(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode() || !v.canConvertToLong()) {
      return "-";
    }
    return String.format(java.util.Locale.ROOT, "%,d", v.asLong());
  }

  static String count(long v) {
    return String.format(java.util.Locale.ROOT, "%,d", v);
  }

  /** A text field, or {@code -}. */
  static String text(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode() || v.asText().isEmpty() ? "-" : v.asText();
  }
}
