package dev.switchboard.core.media;

/** Fetched bytes and their (checked, normalised) content type. */
public record FetchedMedia(String contentType, byte[] bytes) {

  /** The bytes as a base64 {@code data:} URL. */
  public String dataUrl() {
    return DataUrl.of(contentType, bytes).toString();
  }
}
