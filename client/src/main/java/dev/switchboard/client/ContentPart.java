package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

/**
 * One part of a message's content, as OpenRouter takes it: text, an image, a video, a file (PDFs)
 * or audio. Build them with the static factories and pass them to {@link Chat#user(ContentPart...)}
 * or {@link ChatRequestBuilder#user(ContentPart...)}; put text before images.
 */
public sealed interface ContentPart {

  /** The part as wire JSON ({@code {"type":...}}). */
  JsonNode toJson();

  /** {@code {"type":"text","text":...}}. */
  record Text(String text) implements ContentPart {
    public Text {
      Checks.requireArgument(text != null, "text must not be null");
    }

    @Override
    public JsonNode toJson() {
      return ApiJson.object().put("type", "text").put("text", text);
    }
  }

  /**
   * {@code {"type":"image_url","image_url":{"url","detail"}}}: an https URL or a {@code data:} URL;
   * {@code detail} ({@code auto}, {@code low}, {@code high}, {@code original}) may be null.
   */
  record Image(String url, String detail) implements ContentPart {
    public Image {
      Checks.requireText(url, "image url");
    }

    @Override
    public JsonNode toJson() {
      ObjectNode image = ApiJson.object().put("url", url);
      if (detail != null) {
        image.put("detail", detail);
      }
      ObjectNode part = ApiJson.object().put("type", "image_url");
      part.set("image_url", image);
      return part;
    }
  }

  /** {@code {"type":"video_url","video_url":{"url"}}}: a URL or a {@code data:} URL. */
  record Video(String url) implements ContentPart {
    public Video {
      Checks.requireText(url, "video url");
    }

    @Override
    public JsonNode toJson() {
      ObjectNode part = ApiJson.object().put("type", "video_url");
      part.set("video_url", ApiJson.object().put("url", url));
      return part;
    }
  }

  /**
   * {@code {"type":"file","file":{"filename","file_data"}}}: a document (PDFs with every model) as
   * a {@code data:} URL or an https URL.
   */
  record File(String filename, String fileData) implements ContentPart {
    public File {
      Checks.requireText(fileData, "file data");
    }

    @Override
    public JsonNode toJson() {
      ObjectNode file = ApiJson.object();
      if (filename != null) {
        file.put("filename", filename);
      }
      file.put("file_data", fileData);
      ObjectNode part = ApiJson.object().put("type", "file");
      part.set("file", file);
      return part;
    }
  }

  /** {@code {"type":"input_audio","input_audio":{"data","format"}}}: base64 audio. */
  record Audio(String data, String format) implements ContentPart {
    public Audio {
      Checks.requireText(data, "audio data");
      Checks.requireText(format, "audio format");
    }

    @Override
    public JsonNode toJson() {
      ObjectNode part = ApiJson.object().put("type", "input_audio");
      part.set("input_audio", ApiJson.object().put("data", data).put("format", format));
      return part;
    }
  }

  static Text text(String text) {
    return new Text(text);
  }

  /** An image from a URL (https or {@code data:}). */
  static Image imageUrl(String url) {
    return new Image(url, null);
  }

  /**
   * An image file, read and sent as a {@code data:} URL. The type (png, jpeg, webp or gif) comes
   * from the file's first bytes, else from its extension; any other type is refused.
   */
  static Image image(Path file) {
    return image(file, null);
  }

  /** {@link #image(Path)} with a {@code detail} level. */
  static Image image(Path file, String detail) {
    byte[] bytes = read(file);
    String mime = Media.imageType(bytes, file.getFileName().toString());
    return new Image(Media.dataUrl(mime, bytes), detail);
  }

  /** Image bytes of a known type ({@code image/png}, ...), sent as a {@code data:} URL. */
  static Image image(byte[] bytes, String mimeType) {
    return new Image(Media.dataUrl(mimeType, bytes), null);
  }

  /** A video from a URL (mp4, mpeg, mov or webm; a YouTube link for Gemini models). */
  static Video videoUrl(String url) {
    return new Video(url);
  }

  /** A video file (mp4, mpeg, mov, webm by extension), sent as a {@code data:} URL. */
  static Video video(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return new Video(Media.dataUrl(Media.videoType(name), read(file)));
  }

  /** A PDF file, sent as {@code data:application/pdf;base64,...} under its file name. */
  static File pdf(Path file) {
    return new File(file.getFileName().toString(), Media.dataUrl("application/pdf", read(file)));
  }

  /** A PDF at a URL. */
  static File pdfUrl(String url, String filename) {
    return new File(filename, url);
  }

  /** An audio file, base64, its format taken from the extension (wav, mp3, flac, ...). */
  static Audio audio(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    Checks.requireArgument(dot > 0, "audio file %s has no extension to tell its format", name);
    return new Audio(
        Base64.getEncoder().encodeToString(read(file)),
        name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
