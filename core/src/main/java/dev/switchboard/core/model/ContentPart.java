package dev.switchboard.core.model;

import com.fasterxml.jackson.databind.JsonNode;

/** One part of a message's content. {@link Unknown} keeps parts we do not model, untouched. */
public sealed interface ContentPart {

  /** Text; {@code cacheControl} is the Anthropic-style cache breakpoint, or null. */
  record Text(String text, JsonNode cacheControl) implements ContentPart {
    public static Text of(String text) {
      return new Text(text, null);
    }
  }

  /**
   * An image by URL or {@code data:} URL; {@code detail} is auto, low, high, original or null;
   * {@code cacheControl} is the Anthropic-style cache breakpoint, or null.
   */
  record Image(String url, String detail, JsonNode cacheControl) implements ContentPart {
    public Image(String url, String detail) {
      this(url, detail, null);
    }
  }

  /**
   * A file (PDF or other document) as a data URL, an https URL or an uploaded file id; {@code
   * cacheControl} is the Anthropic-style cache breakpoint, or null.
   */
  record File(String filename, String fileData, String fileId, JsonNode cacheControl)
      implements ContentPart {
    public File(String filename, String fileData, String fileId) {
      this(filename, fileData, fileId, null);
    }
  }

  /** Base64 audio with its format. */
  record Audio(String data, String format) implements ContentPart {}

  /** A video by URL or data URL. */
  record Video(String url) implements ContentPart {}

  /** A part of a type we do not model; passed through as it came where the dialect allows. */
  record Unknown(JsonNode raw) implements ContentPart {}
}
