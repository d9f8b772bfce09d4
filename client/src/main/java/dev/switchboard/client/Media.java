package dev.switchboard.client;

import java.util.Base64;
import java.util.Locale;

/** MIME types and {@code data:} URLs for content parts. */
final class Media {

  private Media() {}

  static String dataUrl(String mime, byte[] bytes) {
    return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }

  /** png, jpeg, webp or gif from the magic bytes, else from the file name's extension. */
  static String imageType(byte[] b, String name) {
    if (startsWith(b, 0x89, 'P', 'N', 'G')) {
      return "image/png";
    }
    if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (startsWith(b, 'G', 'I', 'F', '8')) {
      return "image/gif";
    }
    if (b.length >= 12
        && startsWith(b, 'R', 'I', 'F', 'F')
        && b[8] == 'W'
        && b[9] == 'E'
        && b[10] == 'B'
        && b[11] == 'P') {
      return "image/webp";
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".png")) {
      return "image/png";
    }
    if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    if (lower.endsWith(".webp")) {
      return "image/webp";
    }
    if (lower.endsWith(".gif")) {
      return "image/gif";
    }
    throw new IllegalArgumentException(
        "unsupported image type for " + name + ": use png, jpeg, webp or gif");
  }

  static String videoType(String lowerName) {
    if (lowerName.endsWith(".mp4")) {
      return "video/mp4";
    }
    if (lowerName.endsWith(".mpeg") || lowerName.endsWith(".mpg")) {
      return "video/mpeg";
    }
    if (lowerName.endsWith(".mov")) {
      return "video/quicktime";
    }
    if (lowerName.endsWith(".webm")) {
      return "video/webm";
    }
    throw new IllegalArgumentException(
        "unsupported video type for " + lowerName + ": use mp4, mpeg, mov or webm");
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
