package dev.switchboard.core.media;

import java.util.Locale;
import java.util.Set;

/**
 * What a media part is for, and the content types accepted for it when fetched: images (png, jpeg,
 * webp, gif; reference checklist 110), PDFs, videos (mp4, mpeg, mov, webm; reference 3.3) and web
 * pages (the web_fetch tool).
 */
public enum MediaKind {
  IMAGE("an image", Set.of("image/png", "image/jpeg", "image/webp", "image/gif")),
  PDF("a PDF", Set.of("application/pdf")),
  VIDEO("a video", Set.of("video/mp4", "video/mpeg", "video/quicktime", "video/webm")),
  /** A web page or text document, for the gateway's {@code openrouter:web_fetch} tool. */
  PAGE(
      "a web page",
      Set.of(
          "text/html",
          "application/xhtml+xml",
          "text/plain",
          "text/markdown",
          "application/json",
          "text/xml",
          "application/xml"));

  private final String description;
  private final Set<String> types;

  MediaKind(String description, Set<String> types) {
    this.description = description;
    this.types = types;
  }

  /** The content types accepted for this kind, lower case, without parameters. */
  public Set<String> types() {
    return types;
  }

  /** Whether {@code contentType} (parameters and case ignored) is accepted for this kind. */
  public boolean accepts(String contentType) {
    return contentType != null && types.contains(normalize(contentType));
  }

  /** For messages: "an image", "a PDF", "a video". */
  public String description() {
    return description;
  }

  /**
   * A content type without parameters, lower case, with common aliases folded ({@code image/jpg}
   * and {@code image/pjpeg} to {@code image/jpeg}, {@code video/mov} to {@code video/quicktime}).
   */
  public static String normalize(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .trim()
            .toLowerCase(Locale.ROOT);
    return switch (type) {
      case "image/jpg", "image/pjpeg" -> "image/jpeg";
      case "video/mov" -> "video/quicktime";
      default -> type;
    };
  }

  /**
   * The content type the first bytes announce, for servers that send none or {@code
   * application/octet-stream}; null when unrecognised.
   */
  public static String sniff(byte[] head) {
    if (startsWith(head, 0, 0x89, 'P', 'N', 'G')) {
      return "image/png";
    }
    if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (startsWith(head, 0, 'G', 'I', 'F', '8')) {
      return "image/gif";
    }
    if (startsWith(head, 0, 'R', 'I', 'F', 'F') && startsWith(head, 8, 'W', 'E', 'B', 'P')) {
      return "image/webp";
    }
    if (startsWith(head, 0, '%', 'P', 'D', 'F', '-')) {
      return "application/pdf";
    }
    if (startsWith(head, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
      return "video/webm";
    }
    if (startsWith(head, 0, 0x00, 0x00, 0x01, 0xBA)
        || startsWith(head, 0, 0x00, 0x00, 0x01, 0xB3)) {
      return "video/mpeg";
    }
    if (startsWith(head, 4, 'f', 't', 'y', 'p')) {
      return startsWith(head, 8, 'q', 't', ' ', ' ') ? "video/quicktime" : "video/mp4";
    }
    return null;
  }

  private static boolean startsWith(byte[] bytes, int offset, int... expected) {
    if (bytes == null || bytes.length < offset + expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((bytes[offset + i] & 0xFF) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
