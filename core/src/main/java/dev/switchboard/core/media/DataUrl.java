package dev.switchboard.core.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code data:} URL (RFC 2397): its media type and its payload as base64. A payload given
 * percent-encoded instead of base64 is decoded and re-encoded, so {@link #base64()} is always
 * base64.
 *
 * @param mediaType the media type without parameters, lower case; {@code text/plain} when absent
 * @param base64 the payload, base64-encoded
 */
public record DataUrl(String mediaType, String base64) {

  private static final String PREFIX = "data:";

  /** A data URL for {@code bytes} of type {@code mediaType}. */
  public static DataUrl of(String mediaType, byte[] bytes) {
    return new DataUrl(mediaType, Base64.getEncoder().encodeToString(bytes));
  }

  /** Whether {@code url} is a data URL at all (whether or not it is well formed). */
  public static boolean isDataUrl(String url) {
    return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
  }

  /** The parsed URL; empty when {@code url} is not a well-formed data URL. */
  public static Optional<DataUrl> parse(String url) {
    if (!isDataUrl(url)) {
      return Optional.empty();
    }
    int comma = url.indexOf(',');
    if (comma < 0) {
      return Optional.empty();
    }
    String header = url.substring(PREFIX.length(), comma);
    String payload = url.substring(comma + 1);
    boolean base64 = false;
    String type = null;
    String[] params = header.split(";");
    for (int i = 0; i < params.length; i++) {
      String param = params[i].trim();
      if (i == 0 && !param.contains("=")) {
        type = param.isEmpty() ? null : param.toLowerCase(Locale.ROOT);
      } else if (param.equalsIgnoreCase("base64")) {
        base64 = true;
      }
    }
    if (type == null) {
      type = "text/plain";
    }
    if (base64) {
      String clean = payload.replaceAll("\\s", "");
      try {
        Base64.getDecoder().decode(clean);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      return Optional.of(new DataUrl(MediaKind.normalize(type), clean));
    }
    byte[] bytes = percentDecode(payload);
    return bytes == null
        ? Optional.empty()
        : Optional.of(DataUrl.of(MediaKind.normalize(type), bytes));
  }

  /** The decoded payload. */
  public byte[] bytes() {
    return Base64.getDecoder().decode(base64);
  }

  @Override
  public String toString() {
    return PREFIX + mediaType + ";base64," + base64;
  }

  private static byte[] percentDecode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    byte[] raw = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '%') {
        if (i + 2 >= raw.length) {
          return null;
        }
        int hi = Character.digit(raw[i + 1], 16);
        int lo = Character.digit(raw[i + 2], 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(raw[i]);
      }
    }
    return out.toByteArray();
  }
}
