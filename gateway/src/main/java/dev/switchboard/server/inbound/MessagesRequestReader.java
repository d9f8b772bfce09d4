package dev.switchboard.server.inbound;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayException;
import dev.switchboard.core.model.ContentPart;
import dev.switchboard.core.model.Directives;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.Message;
import dev.switchboard.core.model.ProviderPreferences;
import dev.switchboard.core.model.ReasoningConfig;
import dev.switchboard.core.model.ResponseFormat;
import dev.switchboard.core.model.Sampling;
import dev.switchboard.core.model.ToolCall;
import dev.switchboard.core.model.ToolChoice;
import dev.switchboard.core.model.ToolSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An Anthropic Messages body ({@code POST /messages}) to the canonical {@link LlmRequest}, checked
 * field by field: every field either has a meaning here or is refused with a 400 that names it
 * (nothing is accepted and ignored).
 *
 * <ul>
 *   <li>{@code system} (a string or text blocks) becomes a system message; a user turn's {@code
 *       tool_result} blocks become tool messages (in order, before the turn's other blocks); an
 *       assistant turn's {@code thinking} and {@code redacted_thinking} blocks become its {@code
 *       reasoning_details} ({@link ThinkingBlocks}), its {@code tool_use} blocks its tool calls.
 *   <li>Images and documents (PDF, plain text) from base64 or a URL become image and file parts;
 *       {@code cache_control} stays on every block that carries it, and a top-level one is passed
 *       on as automatic caching.
 *   <li>{@code thinking} {@code enabled} with {@code budget_tokens} is a reasoning token budget;
 *       {@code adaptive} turns reasoning on at the model's default effort; {@code disabled} turns
 *       it off. {@code output_config.format} json_schema is structured output. {@code
 *       metadata.user_id} is the end user.
 *   <li>OpenRouter's additions: {@code models} or {@code fallbacks} (at most 3, not both), {@code
 *       provider}, {@code plugins}, {@code session_id}, {@code user}.
 *   <li>Headers: {@code anthropic-version} is a date; {@code anthropic-beta} may only name the
 *       betas in {@link #BETAS}, whose behaviour the gateway gives on every model.
 * </ul>
 */
final class MessagesRequestReader {

  static final int MAX_MODELS = 3;

  /**
   * The betas a client may name: each is either generally available now or describes what the
   * gateway does anyway (thinking between tool calls and tool input streamed as it comes are passed
   * on as they arrive; {@code claude-code-*} only names the client).
   */
  static final Set<String> BETAS =
      Set.of(
          "prompt-caching-2024-07-31",
          "pdfs-2024-09-25",
          "extended-cache-ttl-2025-04-11",
          "interleaved-thinking-2025-05-14",
          "fine-grained-tool-streaming-2025-05-14",
          "token-efficient-tools-2025-02-19",
          "claude-code-20250219");

  private static final Set<String> TOP =
      Set.of(
          "model",
          "messages",
          "max_tokens",
          "system",
          "temperature",
          "top_p",
          "top_k",
          "stop_sequences",
          "stream",
          "tools",
          "tool_choice",
          "thinking",
          "metadata",
          "output_config",
          "service_tier",
          "cache_control",
          "models",
          "fallbacks",
          "provider",
          "plugins",
          "preset",
          "session_id",
          "user");

  private static final Set<String> IMAGE_TYPES =
      Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

  private MessagesRequestReader() {}

  static LlmRequest read(byte[] body, Function<String, String> headers) {
    checkHeaders(headers);
    JsonNode root = parse(body);
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!TOP.contains(field)) {
        throw invalid(
            "\""
                + field
                + "\" is not supported on /messages; remove it (the gateway does not accept"
                + " fields it would ignore)");
      }
    }
    List<String> fallbacks = fallbacks(root);
    String model = optionalText(root, "model");
    String preset = optionalText(root, "preset"); // applied before admission (plugins.Presets)
    if (model == null || model.isBlank()) {
      if (fallbacks.isEmpty() && (preset == null || preset.isBlank())) {
        throw invalid("\"model\" is required");
      }
      model = fallbacks.isEmpty() ? "@preset/" + preset : fallbacks.getFirst();
    }
    List<Message> messages = new ArrayList<>();
    system(root.get("system"), messages);
    JsonNode turns = root.get("messages");
    if (turns == null || !turns.isArray() || turns.isEmpty()) {
      throw invalid("\"messages\" is required and must be a non-empty array");
    }
    for (int i = 0; i < turns.size(); i++) {
      turn(turns.get(i), "messages[" + i + "]", messages);
    }
    List<ToolSpec> tools = tools(root.get("tools"));
    ToolChoiceRead choice = toolChoice(root.get("tool_choice"), tools);
    String user = user(root);
    String sessionId = optionalText(root, "session_id");
    if (sessionId != null && sessionId.length() > 256) {
      throw invalid("\"session_id\" must be at most 256 characters");
    }
    Map<String, JsonNode> vendor = new HashMap<>();
    JsonNode cache = root.get("cache_control");
    if (present(cache)) {
      vendor.put("cache_control", cacheControl(cache, "cache_control"));
    }
    JsonNode tier = root.get("service_tier");
    if (present(tier)) {
      if (!tier.isTextual()
          || !(tier.textValue().equals("auto") || tier.textValue().equals("standard_only"))) {
        throw invalid("\"service_tier\" must be \"auto\" or \"standard_only\"");
      }
      vendor.put("service_tier", tier);
    }
    JsonNode plugins = root.get("plugins");
    if (present(plugins) && !plugins.isArray()) {
      throw invalid("\"plugins\" must be an array");
    }
    return new LlmRequest(
            model,
            fallbacks,
            messages,
            tools,
            choice.choice(),
            choice.parallel(),
            sampling(root),
            outputFormat(root.get("output_config")),
            thinking(root.get("thinking")),
            bool(root, "stream"),
            user,
            sessionId,
            null,
            ProviderPreferences.parse(root.get("provider")),
            present(plugins) ? plugins : null,
            vendor)
        .withDirectives(new Directives(null, false, preset));
  }

  // ------------------------------------------------------------------ headers and top level

  private static void checkHeaders(Function<String, String> headers) {
    String version = headers.apply("anthropic-version");
    if (version != null && !version.trim().matches("\\d{4}-\\d{2}-\\d{2}")) {
      throw invalid("anthropic-version must be a date such as 2023-06-01, was \"" + version + "\"");
    }
    String beta = headers.apply("anthropic-beta");
    if (beta == null) {
      return;
    }
    for (String name : beta.split(",")) {
      String b = name.trim().toLowerCase(Locale.ROOT);
      if (!b.isEmpty() && !BETAS.contains(b)) {
        throw invalid(
            "anthropic-beta \""
                + b
                + "\" is not supported by this gateway (supported: "
                + String.join(", ", BETAS.stream().sorted().toList())
                + ")");
      }
    }
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw invalid("Request body is required");
    }
    try (JsonParser parser = ApiJson.mapper().createParser(body)) {
      JsonNode root = ApiJson.mapper().readTree(parser);
      if (root == null || !root.isObject()) {
        throw invalid("Request body must be a JSON object");
      }
      if (parser.nextToken() != null) {
        throw invalid("Request body has more data after its JSON value; send one JSON object");
      }
      return root;
    } catch (IOException e) {
      throw invalid("Request body is not valid JSON");
    }
  }

  private static List<String> fallbacks(JsonNode root) {
    JsonNode models = root.get("models");
    JsonNode fallbacks = root.get("fallbacks");
    if (present(models) && present(fallbacks)) {
      throw invalid("\"fallbacks\" and \"models\" cannot both be given; use one of them");
    }
    List<String> out = new ArrayList<>();
    if (present(models)) {
      if (!models.isArray()) {
        throw invalid("\"models\" must be an array of model ids");
      }
      for (int i = 0; i < models.size(); i++) {
        JsonNode m = models.get(i);
        if (!m.isTextual() || m.textValue().isBlank()) {
          throw invalid("\"models[" + i + "]\" must be a non-empty string");
        }
        out.add(m.textValue());
      }
      if (out.size() > MAX_MODELS) {
        throw invalid("'models' array must have 3 items or fewer.");
      }
    }
    if (present(fallbacks)) {
      if (!fallbacks.isArray()) {
        throw invalid("\"fallbacks\" must be an array of {\"model\": ...} objects");
      }
      if (fallbacks.size() > MAX_MODELS) {
        throw invalid("\"fallbacks\" must have 3 items or fewer");
      }
      for (int i = 0; i < fallbacks.size(); i++) {
        JsonNode f = fallbacks.get(i);
        String path = "fallbacks[" + i + "]";
        onlyKeys(f, path, Set.of("model"));
        String m = requiredText(f, "model", path + ".model");
        out.add(m);
      }
    }
    return out;
  }

  private static String user(JsonNode root) {
    String user = optionalText(root, "user");
    JsonNode metadata = root.get("metadata");
    if (!present(metadata)) {
      return user;
    }
    onlyKeys(metadata, "metadata", Set.of("user_id"));
    String id = optionalText(metadata, "user_id");
    if (id != null && user != null && !id.equals(user)) {
      throw invalid("\"metadata.user_id\" and \"user\" must not differ");
    }
    if (id != null && id.length() > 256) {
      throw invalid("\"metadata.user_id\" must be at most 256 characters");
    }
    return id != null ? id : user;
  }

  private static Sampling sampling(JsonNode root) {
    Integer maxTokens = integer(root, "max_tokens");
    if (maxTokens != null && maxTokens < 1) {
      throw invalid("\"max_tokens\" must be at least 1");
    }
    BigDecimal temperature = decimal(root, "temperature");
    if (temperature != null
        && (temperature.signum() < 0 || temperature.compareTo(BigDecimal.ONE) > 0)) {
      throw invalid("\"temperature\" must be between 0 and 1");
    }
    BigDecimal topP = decimal(root, "top_p");
    if (topP != null && (topP.signum() < 0 || topP.compareTo(BigDecimal.ONE) > 0)) {
      throw invalid("\"top_p\" must be between 0 and 1");
    }
    Integer topK = integer(root, "top_k");
    if (topK != null && topK < 0) {
      throw invalid("\"top_k\" must not be negative");
    }
    List<String> stop = null;
    JsonNode stops = root.get("stop_sequences");
    if (present(stops)) {
      if (!stops.isArray()) {
        throw invalid("\"stop_sequences\" must be an array of strings");
      }
      stop = new ArrayList<>(stops.size());
      for (int i = 0; i < stops.size(); i++) {
        if (!stops.get(i).isTextual() || stops.get(i).textValue().isEmpty()) {
          throw invalid("\"stop_sequences[" + i + "]\" must be a non-empty string");
        }
        stop.add(stops.get(i).textValue());
      }
    }
    return new Sampling(
        maxTokens,
        temperature,
        topP,
        topK,
        null,
        null,
        null,
        null,
        null,
        null,
        stop,
        null,
        null,
        null);
  }

  private static ReasoningConfig thinking(JsonNode thinking) {
    if (!present(thinking)) {
      return null;
    }
    String type = requiredText(thinking, "type", "thinking.type");
    switch (type) {
      case "enabled" -> {
        onlyKeys(thinking, "thinking", Set.of("type", "budget_tokens"));
        Integer budget = integer(thinking, "budget_tokens");
        if (budget == null) {
          throw invalid("\"thinking.budget_tokens\" is required when thinking is enabled");
        }
        if (budget < 1024) {
          throw invalid("\"thinking.budget_tokens\" must be at least 1024");
        }
        return new ReasoningConfig(null, budget, false, true);
      }
      case "adaptive" -> {
        onlyKeys(thinking, "thinking", Set.of("type"));
        return new ReasoningConfig(null, null, false, true);
      }
      case "disabled" -> {
        onlyKeys(thinking, "thinking", Set.of("type"));
        return new ReasoningConfig(null, null, false, false);
      }
      default ->
          throw invalid("\"thinking.type\" must be \"enabled\", \"adaptive\" or \"disabled\"");
    }
  }

  private static ResponseFormat outputFormat(JsonNode config) {
    if (!present(config)) {
      return null;
    }
    onlyKeys(config, "output_config", Set.of("format"));
    JsonNode format = config.get("format");
    if (!present(format)) {
      return null;
    }
    onlyKeys(format, "output_config.format", Set.of("type", "schema"));
    String type = requiredText(format, "type", "output_config.format.type");
    if (!type.equals("json_schema")) {
      throw invalid("\"output_config.format.type\" must be \"json_schema\"");
    }
    JsonNode schema = format.get("schema");
    if (schema == null || !schema.isObject()) {
      throw invalid("\"output_config.format.schema\" must be a JSON Schema object");
    }
    // The OpenAI shape, for the dialects that take response_format as it came.
    ObjectNode raw = ApiJson.object();
    raw.put("type", "json_schema");
    ObjectNode jsonSchema = raw.putObject("json_schema");
    jsonSchema.put("name", "output");
    jsonSchema.set("schema", schema);
    jsonSchema.put("strict", true);
    return new ResponseFormat("json_schema", "output", schema, true, raw);
  }

  // ---------------------------------------------------------------- system and turns

  private static void system(JsonNode system, List<Message> out) {
    if (!present(system)) {
      return;
    }
    if (system.isTextual()) {
      if (!system.textValue().isEmpty()) {
        out.add(new Message.System(List.of(ContentPart.Text.of(system.textValue())), null, false));
      }
      return;
    }
    if (!system.isArray()) {
      throw invalid("\"system\" must be a string or an array of text blocks");
    }
    List<ContentPart> parts = new ArrayList<>(system.size());
    for (int i = 0; i < system.size(); i++) {
      String path = "system[" + i + "]";
      JsonNode block = system.get(i);
      if (!"text".equals(optionalText(block, "type"))) {
        throw invalid("\"" + path + ".type\" must be \"text\"");
      }
      parts.add(text(block, path));
    }
    if (!parts.isEmpty()) {
      out.add(new Message.System(parts, null, false));
    }
  }

  private static void turn(JsonNode turn, String path, List<Message> out) {
    if (turn == null || !turn.isObject()) {
      throw invalid("\"" + path + "\" must be an object {role, content}");
    }
    onlyKeys(turn, path, Set.of("role", "content"));
    String role = requiredText(turn, "role", path + ".role");
    JsonNode content = turn.get("content");
    if (content == null || content.isNull()) {
      throw invalid("\"" + path + ".content\" is required");
    }
    switch (role) {
      case "user" -> user(content, path, out);
      case "assistant" -> out.add(assistant(content, path));
      default -> throw invalid("\"" + path + ".role\" must be \"user\" or \"assistant\"");
    }
  }

  private static void user(JsonNode content, String path, List<Message> out) {
    if (content.isTextual()) {
      out.add(new Message.User(List.of(ContentPart.Text.of(content.textValue())), null));
      return;
    }
    List<ContentPart> parts = new ArrayList<>();
    for (int i = 0; i < blocks(content, path).size(); i++) {
      JsonNode block = content.get(i);
      String at = path + ".content[" + i + "]";
      String type = requiredText(block, "type", at + ".type");
      if (type.equals("tool_result")) {
        out.add(toolResult(block, at));
      } else {
        parts.add(part(block, type, at));
      }
    }
    if (!parts.isEmpty()) {
      out.add(new Message.User(parts, null));
    }
  }

  private static Message.Assistant assistant(JsonNode content, String path) {
    if (content.isTextual()) {
      return new Message.Assistant(
          List.of(ContentPart.Text.of(content.textValue())), null, null, null, null, null, null);
    }
    List<ContentPart> parts = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    ThinkingBlocks.Reader thinking = new ThinkingBlocks.Reader();
    for (int i = 0; i < blocks(content, path).size(); i++) {
      JsonNode block = content.get(i);
      String at = path + ".content[" + i + "]";
      String type = requiredText(block, "type", at + ".type");
      switch (type) {
        case "text" -> parts.add(text(block, at));
        case "thinking" -> {
          onlyKeys(block, at, Set.of("type", "thinking", "signature"));
          thinking.thinking(
              requiredText(block, "thinking", at + ".thinking"), optionalText(block, "signature"));
        }
        case "redacted_thinking" -> {
          onlyKeys(block, at, Set.of("type", "data"));
          thinking.redacted(requiredText(block, "data", at + ".data"));
        }
        case "tool_use" -> {
          // No cache_control here: a canonical tool call cannot carry one, and it would be lost.
          onlyKeys(block, at, Set.of("type", "id", "name", "input"));
          JsonNode input = block.get("input");
          if (input == null || !input.isObject()) {
            throw invalid("\"" + at + ".input\" must be an object");
          }
          calls.add(
              new ToolCall(
                  requiredText(block, "id", at + ".id"),
                  requiredText(block, "name", at + ".name"),
                  ApiJson.string(input)));
        }
        default ->
            throw invalid(
                "\""
                    + at
                    + ".type\" \""
                    + type
                    + "\" is not supported in an assistant turn (text, thinking,"
                    + " redacted_thinking, tool_use)");
      }
    }
    return new Message.Assistant(
        parts, null, calls, null, thinking.text(), thinking.details(), null);
  }

  private static Message.Tool toolResult(JsonNode block, String path) {
    onlyKeys(block, path, Set.of("type", "tool_use_id", "content", "is_error", "cache_control"));
    String id = requiredText(block, "tool_use_id", path + ".tool_use_id");
    List<ContentPart> parts = new ArrayList<>();
    JsonNode content = block.get("content");
    if (present(content)) {
      if (content.isTextual()) {
        parts.add(ContentPart.Text.of(content.textValue()));
      } else if (content.isArray()) {
        for (int i = 0; i < content.size(); i++) {
          String at = path + ".content[" + i + "]";
          String type = requiredText(content.get(i), "type", at + ".type");
          if (!type.equals("text") && !type.equals("image") && !type.equals("document")) {
            throw invalid(
                "\"" + at + ".type\" must be text, image or document inside a tool_result");
          }
          parts.add(part(content.get(i), type, at));
        }
      } else {
        throw invalid("\"" + path + ".content\" must be a string or an array of blocks");
      }
    }
    JsonNode isError = block.get("is_error");
    if (present(isError) && !isError.isBoolean()) {
      throw invalid("\"" + path + ".is_error\" must be true or false");
    }
    JsonNode cache = block.get("cache_control");
    return new Message.Tool(
        id,
        parts,
        present(isError) ? isError.booleanValue() : null,
        present(cache) ? cacheControl(cache, path + ".cache_control") : null);
  }

  private static JsonNode blocks(JsonNode content, String path) {
    if (!content.isArray()) {
      throw invalid("\"" + path + ".content\" must be a string or an array of content blocks");
    }
    return content;
  }

  /** A user-side block: text, image or document. */
  private static ContentPart part(JsonNode block, String type, String path) {
    return switch (type) {
      case "text" -> text(block, path);
      case "image" -> image(block, path);
      case "document" -> document(block, path);
      default ->
          throw invalid(
              "\""
                  + path
                  + ".type\" \""
                  + type
                  + "\" is not supported in a user turn (text, image, document, tool_result)");
    };
  }

  private static ContentPart.Text text(JsonNode block, String path) {
    onlyKeys(block, path, Set.of("type", "text", "cache_control"));
    JsonNode text = block.get("text");
    if (text == null || !text.isTextual()) {
      throw invalid("\"" + path + ".text\" must be a string");
    }
    JsonNode cache = block.get("cache_control");
    return new ContentPart.Text(
        text.textValue(), present(cache) ? cacheControl(cache, path + ".cache_control") : null);
  }

  private static ContentPart.Image image(JsonNode block, String path) {
    onlyKeys(block, path, Set.of("type", "source", "cache_control"));
    JsonNode source = source(block, path);
    String type = requiredText(source, "type", path + ".source.type");
    String url =
        switch (type) {
          case "base64" -> {
            onlyKeys(source, path + ".source", Set.of("type", "media_type", "data"));
            String media = requiredText(source, "media_type", path + ".source.media_type");
            if (!IMAGE_TYPES.contains(media)) {
              throw invalid(
                  "\""
                      + path
                      + ".source.media_type\" must be image/jpeg, image/png, image/gif or"
                      + " image/webp");
            }
            yield "data:"
                + media
                + ";base64,"
                + requiredText(source, "data", path + ".source.data");
          }
          case "url" -> {
            onlyKeys(source, path + ".source", Set.of("type", "url"));
            yield httpUrl(requiredText(source, "url", path + ".source.url"), path + ".source.url");
          }
          default -> throw invalid("\"" + path + ".source.type\" must be \"base64\" or \"url\"");
        };
    JsonNode cache = block.get("cache_control");
    return new ContentPart.Image(
        url, null, present(cache) ? cacheControl(cache, path + ".cache_control") : null);
  }

  private static ContentPart.File document(JsonNode block, String path) {
    onlyKeys(block, path, Set.of("type", "source", "title", "cache_control"));
    JsonNode source = source(block, path);
    String type = requiredText(source, "type", path + ".source.type");
    String data =
        switch (type) {
          case "base64" -> {
            onlyKeys(source, path + ".source", Set.of("type", "media_type", "data"));
            String media = requiredText(source, "media_type", path + ".source.media_type");
            if (!media.equals("application/pdf")) {
              throw invalid("\"" + path + ".source.media_type\" must be application/pdf");
            }
            yield "data:application/pdf;base64,"
                + requiredText(source, "data", path + ".source.data");
          }
          case "text" -> {
            onlyKeys(source, path + ".source", Set.of("type", "media_type", "data"));
            String media = optionalText(source, "media_type");
            if (media != null && !media.equals("text/plain")) {
              throw invalid("\"" + path + ".source.media_type\" must be text/plain");
            }
            String text = requiredText(source, "data", path + ".source.data");
            yield "data:text/plain;base64,"
                + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
          }
          case "url" -> {
            onlyKeys(source, path + ".source", Set.of("type", "url"));
            yield httpUrl(requiredText(source, "url", path + ".source.url"), path + ".source.url");
          }
          default ->
              throw invalid("\"" + path + ".source.type\" must be \"base64\", \"text\" or \"url\"");
        };
    JsonNode cache = block.get("cache_control");
    return new ContentPart.File(
        optionalText(block, "title"),
        data,
        null,
        present(cache) ? cacheControl(cache, path + ".cache_control") : null);
  }

  private static JsonNode source(JsonNode block, String path) {
    JsonNode source = block.get("source");
    if (source == null || !source.isObject()) {
      throw invalid("\"" + path + ".source\" must be an object");
    }
    return source;
  }

  private static String httpUrl(String url, String path) {
    if (!url.startsWith("https://") && !url.startsWith("http://")) {
      throw invalid("\"" + path + "\" must be an http(s) URL");
    }
    return url;
  }

  // ------------------------------------------------------------------------------ tools

  private static List<ToolSpec> tools(JsonNode tools) {
    if (!present(tools)) {
      return List.of();
    }
    if (!tools.isArray()) {
      throw invalid("\"tools\" must be an array");
    }
    List<ToolSpec> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String path = "tools[" + i + "]";
      if (tool == null || !tool.isObject()) {
        throw invalid("\"" + path + "\" must be an object");
      }
      String type = optionalText(tool, "type");
      if (type != null && !type.equals("custom")) {
        throw invalid(
            "\""
                + path
                + ".type\" \""
                + type
                + "\": Anthropic server tools are not supported; give client tools"
                + " {name, description, input_schema}");
      }
      onlyKeys(
          tool,
          path,
          Set.of("type", "name", "description", "input_schema", "cache_control", "strict"));
      String name = requiredText(tool, "name", path + ".name");
      if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
        throw invalid("\"" + path + ".name\" must be 1-64 letters, digits, underscores or hyphens");
      }
      JsonNode schema = tool.get("input_schema");
      if (schema == null || !schema.isObject()) {
        throw invalid("\"" + path + ".input_schema\" must be a JSON Schema object");
      }
      JsonNode strict = tool.get("strict");
      if (present(strict) && !strict.isBoolean()) {
        throw invalid("\"" + path + ".strict\" must be true or false");
      }
      JsonNode cache = tool.get("cache_control");
      out.add(
          new ToolSpec(
              name,
              optionalText(tool, "description"),
              schema,
              present(strict) ? strict.booleanValue() : null,
              present(cache) ? cacheControl(cache, path + ".cache_control") : null));
    }
    return out;
  }

  private record ToolChoiceRead(ToolChoice choice, Boolean parallel) {}

  private static ToolChoiceRead toolChoice(JsonNode choice, List<ToolSpec> tools) {
    if (!present(choice)) {
      return new ToolChoiceRead(null, null);
    }
    String type = requiredText(choice, "type", "tool_choice.type");
    JsonNode disable = choice.get("disable_parallel_tool_use");
    if (present(disable) && !disable.isBoolean()) {
      throw invalid("\"tool_choice.disable_parallel_tool_use\" must be true or false");
    }
    Boolean parallel = present(disable) && disable.booleanValue() ? Boolean.FALSE : null;
    ToolChoice mode =
        switch (type) {
          case "auto" -> {
            onlyKeys(choice, "tool_choice", Set.of("type", "disable_parallel_tool_use"));
            yield ToolChoice.AUTO;
          }
          case "any" -> {
            onlyKeys(choice, "tool_choice", Set.of("type", "disable_parallel_tool_use"));
            yield ToolChoice.REQUIRED;
          }
          case "none" -> {
            onlyKeys(choice, "tool_choice", Set.of("type"));
            yield ToolChoice.NONE;
          }
          case "tool" -> {
            onlyKeys(choice, "tool_choice", Set.of("type", "name", "disable_parallel_tool_use"));
            String name = requiredText(choice, "name", "tool_choice.name");
            if (tools.stream().noneMatch(t -> t.name().equals(name))) {
              throw invalid("\"tool_choice.name\" \"" + name + "\" is not one of \"tools\"");
            }
            yield ToolChoice.function(name);
          }
          default ->
              throw invalid("\"tool_choice.type\" must be \"auto\", \"any\", \"tool\" or \"none\"");
        };
    if (tools.isEmpty() && mode.mode() != ToolChoice.Mode.NONE) {
      throw invalid("\"tool_choice\" needs \"tools\"");
    }
    return new ToolChoiceRead(mode, parallel);
  }

  // ---------------------------------------------------------------------------- helpers

  private static JsonNode cacheControl(JsonNode cache, String path) {
    if (!cache.isObject()) {
      throw invalid("\"" + path + "\" must be an object {type: \"ephemeral\", ttl?}");
    }
    onlyKeys(cache, path, Set.of("type", "ttl"));
    if (!"ephemeral".equals(optionalText(cache, "type"))) {
      throw invalid("\"" + path + ".type\" must be \"ephemeral\"");
    }
    String ttl = optionalText(cache, "ttl");
    if (ttl != null && !ttl.equals("5m") && !ttl.equals("1h")) {
      throw invalid("\"" + path + ".ttl\" must be \"5m\" or \"1h\"");
    }
    return cache;
  }

  private static void onlyKeys(JsonNode node, String path, Set<String> keys) {
    if (node == null || !node.isObject()) {
      throw invalid("\"" + path + "\" must be an object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!keys.contains(key)) {
        throw invalid("\"" + path + "." + key + "\" is not supported on /messages");
      }
    }
  }

  private static boolean present(JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }

  private static String optionalText(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    if (!present(v)) {
      return null;
    }
    if (!v.isTextual()) {
      throw invalid("\"" + field + "\" must be a string");
    }
    return v.textValue();
  }

  private static String requiredText(JsonNode node, String field, String path) {
    JsonNode v = node == null ? null : node.get(field);
    if (v == null || !v.isTextual()) {
      throw invalid("\"" + path + "\" is required and must be a string");
    }
    return v.textValue();
  }

  private static Integer integer(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (!present(v)) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw invalid("\"" + field + "\" must be a whole number");
    }
    return v.intValue();
  }

  private static BigDecimal decimal(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (!present(v)) {
      return null;
    }
    if (!v.isNumber()) {
      throw invalid("\"" + field + "\" must be a number");
    }
    return v.decimalValue();
  }

  private static boolean bool(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (!present(v)) {
      return false;
    }
    if (!v.isBoolean()) {
      throw invalid("\"" + field + "\" must be true or false");
    }
    return v.booleanValue();
  }

  private static GatewayException invalid(String message) {
    return GatewayException.invalid(message);
  }
}
