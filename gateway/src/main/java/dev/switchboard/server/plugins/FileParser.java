package dev.switchboard.server.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.media.DataUrl;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.server.catalog.ModelEntry;
import dev.switchboard.server.pipeline.Exchange;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code file-parser} plugin (checklist 98-100): PDFs sent as {@code file} parts become text
 * for the model. Engines: {@code pdf-text} and {@code cloudflare-ai} (alike: PDFBox text, {@link
 * PdfText}), {@code native} (the file goes to the model as it came), {@code mistral-ocr} (the OCR
 * slot, {@link OcrClient}). Without the plugin, a PDF sent to a model whose catalog entry does not
 * take files is parsed with {@code pdf-text}. Each parsed file comes back as a {@code {type:"file",
 * file:{hash, name, content[]}}} annotation; when the caller sends that annotation back on the
 * assistant turn, the same file (same SHA-256) is not parsed again.
 */
final class FileParser implements Plugin {

  static final String ID = "file-parser";

  /** The annotations this request's parses produced, by hash. Event-loop confined. */
  static final class State {
    final Map<String, JsonNode> annotations = new LinkedHashMap<>();
  }

  private final PluginServices services;

  FileParser(PluginServices services) {
    this.services = services;
  }

  /** It also runs unasked: a PDF for a model that does not take files is parsed anyway. */
  @Override
  public boolean runsUnasked() {
    return true;
  }

  @Override
  public void check(String at, JsonNode item, LlmRequest request) {
    PluginRegistry.allowOnly(at, item, java.util.Set.of("pdf", "max_files"));
    engine(item);
  }

  @Override
  public CompletionStage<LlmRequest> beforeModel(
      Exchange ex, LlmRequest request, JsonNode ignored) {
    if (!hasFiles(request)) {
      return CompletableFuture.completedFuture(request);
    }
    JsonNode item = PluginOptions.enabled(request.plugins(), ID);
    String engine = engine(item);
    if (engine == null) {
      if (PluginOptions.disabled(request.plugins(), ID) || takesFiles(request.model())) {
        return CompletableFuture.completedFuture(request);
      }
      engine = "pdf-text";
    }
    if (engine.equals("native")) {
      return CompletableFuture.completedFuture(request);
    }
    Map<String, JsonNode> known = sentBack(request);
    State state = ex.pluginState(State.class, State::new);
    List<CompletableFuture<Void>> work = new ArrayList<>();
    Map<ContentPart, CompletableFuture<ContentPart>> replaced = new HashMap<>();
    for (Message m : request.messages()) {
      if (!(m instanceof Message.User)) {
        continue;
      }
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.File f && !replaced.containsKey(part)) {
          CompletableFuture<ContentPart> text = parse(f, engine, known, state);
          replaced.put(part, text);
          work.add(text.thenApply(x -> null));
        }
      }
    }
    return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<Message> out = new ArrayList<>(request.messages().size());
              for (Message m : request.messages()) {
                if (m instanceof Message.User u) {
                  List<ContentPart> parts = new ArrayList<>(u.content().size());
                  for (ContentPart p : u.content()) {
                    CompletableFuture<ContentPart> r = replaced.get(p);
                    parts.add(r == null ? p : r.join());
                  }
                  out.add(new Message.User(parts, u.name()));
                } else {
                  out.add(m);
                }
              }
              return request.withMessages(out);
            });
  }

  /** The annotations to add to the answer, or null. */
  static JsonNode annotations(Exchange ex, JsonNode existing) {
    State state = ex.pluginState(State.class);
    if (state == null || state.annotations.isEmpty()) {
      return existing;
    }
    ArrayNode out = ApiJson.mapper().createArrayNode();
    if (existing != null && existing.isArray()) {
      existing.forEach(out::add);
    }
    state.annotations.values().forEach(out::add);
    return out;
  }

  private CompletableFuture<ContentPart> parse(
      ContentPart.File file, String engine, Map<String, JsonNode> known, State state) {
    String name = file.filename() == null ? "document.pdf" : file.filename();
    if (file.fileData() == null || !file.fileData().startsWith("data:")) {
      return CompletableFuture.failedFuture(
          GatewayException.invalid(
              "The file-parser plugin reads files sent as data: URLs (\"file.file_data\"); \""
                  + name
                  + "\" is "
                  + (file.fileId() != null ? "an uploaded file id" : "a URL")));
    }
    byte[] bytes;
    try {
      DataUrl data = DataUrl.parse(file.fileData()).orElseThrow();
      if ((long) data.base64().length() * 3 / 4 > services.pdf.maxBytes()) {
        return CompletableFuture.failedFuture(
            PdfText.refuse(
                413,
                name,
                "is larger than the limit of "
                    + services.pdf.maxBytes()
                    + " bytes"
                    + " (plugins.file-parser.max-bytes)"));
      }
      bytes = data.bytes();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          GatewayException.invalid("The file \"" + name + "\" is not a valid base64 data: URL"));
    }
    String hash = sha256(bytes);
    JsonNode cached = known.get(hash);
    if (cached != null) {
      state.annotations.putIfAbsent(hash, cached);
      return CompletableFuture.completedFuture(asText(name, textOf(cached)));
    }
    CompletableFuture<String> text =
        engine.equals("mistral-ocr")
            ? services.ocr.text(name, file.fileData())
            : services.pdf.text(name, bytes);
    return text.thenApply(
        t -> {
          state.annotations.putIfAbsent(hash, annotation(hash, name, t));
          return asText(name, t);
        });
  }

  private static ContentPart asText(String name, String text) {
    return ContentPart.Text.of("<file name=\"" + name + "\">\n" + text + "\n</file>");
  }

  static JsonNode annotation(String hash, String name, String text) {
    ObjectNode a = ApiJson.object();
    a.put("type", "file");
    ObjectNode f = a.putObject("file");
    f.put("hash", hash);
    f.put("name", name);
    f.putArray("content").addObject().put("type", "text").put("text", text);
    return a;
  }

  private static String textOf(JsonNode annotation) {
    StringBuilder out = new StringBuilder();
    for (JsonNode c : annotation.path("file").path("content")) {
      if ("text".equals(c.path("type").asText())) {
        out.append(out.isEmpty() ? "" : "\n").append(c.path("text").asText());
      }
    }
    return out.toString();
  }

  /** File annotations the caller sent back on assistant turns, by hash. */
  private static Map<String, JsonNode> sentBack(LlmRequest request) {
    Map<String, JsonNode> out = new HashMap<>();
    for (Message m : request.messages()) {
      if (m instanceof Message.Assistant a && a.extra().get("annotations") != null) {
        for (JsonNode n : a.extra().get("annotations")) {
          String hash = n.path("file").path("hash").asText(null);
          if ("file".equals(n.path("type").asText()) && hash != null) {
            out.put(hash, n);
          }
        }
      }
    }
    return out;
  }

  private static String engine(JsonNode item) {
    if (item == null) {
      return null;
    }
    JsonNode pdf = item.get("pdf");
    if (pdf == null || pdf.isNull()) {
      return "pdf-text";
    }
    if (!pdf.isObject()) {
      throw GatewayException.invalid("\"file-parser.pdf\" must be an object");
    }
    String engine = PluginOptions.string(pdf, "engine", "file-parser.pdf");
    if (engine == null) {
      return "pdf-text";
    }
    return switch (engine) {
      case "pdf-text", "cloudflare-ai" -> "pdf-text";
      case "native", "mistral-ocr" -> engine;
      default ->
          throw GatewayException.invalid(
              "\"file-parser.pdf.engine\" must be \"pdf-text\", \"cloudflare-ai\", \"native\" or"
                  + " \"mistral-ocr\"");
    };
  }

  private boolean hasFiles(LlmRequest request) {
    for (Message m : request.messages()) {
      if (m instanceof Message.User) {
        for (ContentPart p : m.content()) {
          if (p instanceof ContentPart.File) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Whether the model's catalog entry takes files (its input modalities name {@code file}). */
  private boolean takesFiles(String model) {
    String id = model.split(":")[0];
    return services
        .catalog
        .model(id)
        .map(ModelEntry::inputModalities)
        .orElse(List.of())
        .contains("file");
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
