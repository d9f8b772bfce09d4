package dev.switchboard.provider.gemini;

import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.media.DataUrl;
import dev.switchboard.core.media.MediaKind;
import dev.switchboard.core.media.MediaRef;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.provider.gemini.GeminiWire.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Images, PDFs, video and audio as Gemini parts. A {@code data:} URL becomes {@code inlineData}.
 * Google-hosted media ({@code gs://}, Files API URIs, YouTube) become {@code fileData} URIs. Other
 * http(s) images and PDFs are what {@link GeminiAdapter#mediaToInline} asks the gateway to fetch
 * (so they arrive here as data URLs); if they were not fetched, and for video by URL (large, and
 * fetched by Gemini itself), they go as {@code fileData} URIs with the type their extension names,
 * which Gemini fetches when the URL is public. Anything else is refused with {@code
 * INVALID_REQUEST}.
 */
final class GeminiMedia {

  private static final String FILES_API = "https://generativelanguage.googleapis.com/";

  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("webp", "image/webp"),
          Map.entry("gif", "image/gif"),
          Map.entry("heic", "image/heic"),
          Map.entry("heif", "image/heif"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("txt", "text/plain"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("mpeg", "video/mpeg"),
          Map.entry("mpg", "video/mpeg"),
          Map.entry("mov", "video/quicktime"),
          Map.entry("webm", "video/webm"));

  /** {@code input_audio} formats Gemini takes inline. */
  private static final Map<String, String> AUDIO =
      Map.of(
          "wav", "audio/wav",
          "mp3", "audio/mp3",
          "aiff", "audio/aiff",
          "aac", "audio/aac",
          "ogg", "audio/ogg",
          "flac", "audio/flac");

  private GeminiMedia() {}

  static Part image(ContentPart.Image image) {
    return byUrl(image.url(), MediaKind.IMAGE, "image_url");
  }

  static Part video(ContentPart.Video video) {
    return byUrl(video.url(), MediaKind.VIDEO, "video_url");
  }

  static Part file(ContentPart.File file) {
    if (file.fileData() != null) {
      return byUrl(file.fileData(), MediaKind.PDF, "file.file_data");
    }
    String id = file.fileId();
    if (id.startsWith("files/")) {
      return Part.file(mimeOf(file.filename()), GeminiProfiles.AI_STUDIO_BASE_URL + "/" + id);
    }
    if (id.startsWith("gs://") || id.startsWith(FILES_API)) {
      return Part.file(mimeOf(file.filename()), id);
    }
    throw GatewayException.invalid(
        "\"file.file_id\" \""
            + id
            + "\" is not a Gemini file (files/..., a Files API URI or gs://); send the file as"
            + " \"file_data\" instead");
  }

  static Part audio(ContentPart.Audio audio) {
    String type = AUDIO.get(audio.format().toLowerCase(Locale.ROOT));
    if (type == null) {
      throw GatewayException.invalid(
          "\"input_audio.format\" \""
              + audio.format()
              + "\" is not supported by Gemini; use one of "
              + String.join(", ", AUDIO.keySet().stream().sorted().toList()));
    }
    return Part.inline(type, audio.data());
  }

  /**
   * The http(s) images and PDFs of {@code request} that are not Google-hosted, each once: what the
   * gateway should fetch and inline before encoding.
   */
  static List<MediaRef> toInline(LlmRequest request) {
    List<MediaRef> out = new ArrayList<>();
    for (Message message : request.messages()) {
      for (ContentPart part : message.content()) {
        MediaRef ref =
            switch (part) {
              case ContentPart.Image image -> fetchable(image.url(), MediaKind.IMAGE);
              case ContentPart.File file -> fetchable(file.fileData(), MediaKind.PDF);
              case ContentPart.Video video -> null; // Gemini fetches video URLs itself
              case ContentPart.Text text -> null;
              case ContentPart.Audio audio -> null;
              case ContentPart.Unknown unknown -> null;
            };
        if (ref != null && out.stream().noneMatch(r -> r.url().equals(ref.url()))) {
          out.add(ref);
        }
      }
    }
    return out;
  }

  private static MediaRef fetchable(String url, MediaKind kind) {
    return url != null && isHttp(url) && !googleHosted(url) ? new MediaRef(url, kind) : null;
  }

  private static Part byUrl(String url, MediaKind kind, String field) {
    if (url == null || url.isBlank()) {
      throw GatewayException.invalid("\"" + field + "\" must not be empty");
    }
    if (DataUrl.isDataUrl(url)) {
      DataUrl data =
          DataUrl.parse(url)
              .orElseThrow(
                  () -> GatewayException.invalid("\"" + field + "\" is not a valid data: URL"));
      if (kind == MediaKind.VIDEO && !data.mediaType().startsWith("video/")) {
        throw GatewayException.invalid(
            "\"" + field + "\" must be a video; the data: URL is " + data.mediaType());
      }
      return Part.inline(data.mediaType(), data.base64());
    }
    if (url.startsWith("gs://") || isHttp(url)) {
      return Part.file(isYouTube(url) ? null : mimeOf(url), url);
    }
    throw GatewayException.invalid(
        "\""
            + field
            + "\" must be an http(s), gs:// or data: URL to reach Gemini as "
            + kind.description());
  }

  private static boolean isHttp(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return lower.startsWith("https://") || lower.startsWith("http://");
  }

  private static boolean googleHosted(String url) {
    return url.startsWith("gs://") || url.startsWith(FILES_API) || isYouTube(url);
  }

  private static boolean isYouTube(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return lower.startsWith("https://www.youtube.com/")
        || lower.startsWith("https://youtube.com/")
        || lower.startsWith("https://youtu.be/")
        || lower.startsWith("https://m.youtube.com/");
  }

  /** The type the path's extension names, or null. */
  static String mimeOf(String urlOrName) {
    if (urlOrName == null) {
      return null;
    }
    String path = urlOrName;
    int cut = path.indexOf('?');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    cut = path.indexOf('#');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    int dot = path.lastIndexOf('.');
    if (dot < 0 || dot < path.lastIndexOf('/')) {
      return null;
    }
    return BY_EXTENSION.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
