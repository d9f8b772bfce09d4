package dev.switchboard.server.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.error.GatewayException;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A body of OpenAI's Responses API ({@code POST /responses}) rewritten as the chat completions body
 * it asks for, so that the one chat codec validates it and builds the canonical request. Every
 * field is either translated or refused here with a 400 that names it in the Responses API's own
 * terms: nothing is accepted and dropped, and nothing unknown travels on to an upstream.
 *
 * <p>The gateway keeps no conversations, so {@code store: true} and {@code previous_response_id}
 * are refused (checklist 142): the caller sends the whole history in {@code input}. Items map as
 * follows: messages by role; consecutive {@code reasoning}, assistant {@code message} and {@code
 * function_call} items become one assistant turn (its reasoning, text and tool calls); each {@code
 * function_call_output} a tool message. A reasoning item's {@code encrypted_content} is what our
 * own answers put there (the {@code reasoning_details} of the turn, base64url JSON), so signatures
 * and encrypted reasoning survive a round trip; any other value is passed on as one encrypted
 * detail.
 */
final class ResponsesRequest {

  /** Fields read as they are, under the same name, by the chat codec. */
  private static final Set<String> SAME =
      Set.of(
          "model",
          "models",
          "temperature",
          "top_p",
          "top_k",
          "presence_penalty",
          "frequency_penalty",
          "parallel_tool_calls",
          "stream",
          "user",
          "session_id",
          "metadata",
          "provider",
          "preset",
          "plugins");

  /** Fields translated below. */
  private static final Set<String> TRANSLATED =
      Set.of(
          "input",
          "instructions",
          "max_output_tokens",
          "tools",
          "tool_choice",
          "text",
          "reasoning",
          "include",
          "store",
          "previous_response_id",
          "background",
          "truncation",
          "service_tier");

  private static final String ENCRYPTED = "reasoning.encrypted_content";

  private ResponsesRequest() {}

  /** The chat completions body (a JSON tree) the Responses body {@code body} stands for. */
  static ObjectNode toChat(byte[] body) {
    JsonNode root;
    try {
      root = ApiJson.tree(body);
    } catch (IOException | RuntimeException e) {
      throw invalid("Request body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw invalid("Request body must be a JSON object");
    }
    ObjectNode chat = ApiJson.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String name = f.getKey();
      if (SAME.contains(name)) {
        chat.set(name, f.getValue());
      } else if (!TRANSLATED.contains(name)) {
        throw invalid(
            "\""
                + name
                + "\" is not supported on /responses by this gateway; see docs/api.md for the"
                + " fields it takes");
      }
    }
    stateless(root);
    ArrayNode messages = chat.putArray("messages");
    JsonNode instructions = root.get("instructions");
    if (present(instructions)) {
      if (!instructions.isTextual()) {
        throw invalid("\"instructions\" must be a string");
      }
      messages.addObject().put("role", "system").put("content", instructions.asText());
    }
    new Items(messages).input(root.get("input"));
    JsonNode max = root.get("max_output_tokens");
    if (present(max)) {
      if (!max.canConvertToInt() || !max.isIntegralNumber() || max.asInt() < 1) {
        throw invalid("\"max_output_tokens\" must be a whole number of at least 1");
      }
      chat.put("max_tokens", max.asInt());
    }
    tools(root.get("tools"), chat);
    toolChoice(root.get("tool_choice"), chat);
    text(root.get("text"), chat);
    reasoning(root.get("reasoning"), chat);
    include(root.get("include"));
    return chat;
  }

  /** {@code store}, {@code previous_response_id}, {@code background} and the like. */
  private static void stateless(JsonNode root) {
    JsonNode store = root.get("store");
    if (present(store) && !(store.isBoolean() && !store.asBoolean())) {
      throw invalid(
          "\"store\" must be false: this gateway keeps no responses; send the whole conversation"
              + " in \"input\"");
    }
    if (present(root.get("previous_response_id"))) {
      throw invalid(
          "\"previous_response_id\" is not supported: this gateway keeps no responses; send the"
              + " whole conversation in \"input\"");
    }
    JsonNode background = root.get("background");
    if (present(background) && !(background.isBoolean() && !background.asBoolean())) {
      throw invalid("\"background\": true is not supported; responses are answered at once");
    }
    JsonNode truncation = root.get("truncation");
    if (present(truncation) && !"disabled".equals(truncation.asText())) {
      throw invalid("\"truncation\" must be \"disabled\": the gateway never truncates the input");
    }
    JsonNode tier = root.get("service_tier");
    if (present(tier) && !"auto".equals(tier.asText())) {
      throw invalid("\"service_tier\" must be \"auto\" on /responses");
    }
  }

  private static void tools(JsonNode tools, ObjectNode chat) {
    if (!present(tools)) {
      return;
    }
    if (!tools.isArray()) {
      throw invalid("\"tools\" must be an array");
    }
    ArrayNode out = chat.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode t = tools.get(i);
      String type = t.path("type").asText("");
      if (!"function".equals(type)) {
        throw invalid(
            "\"tools["
                + i
                + "].type\" \""
                + type
                + "\" is not supported on /responses by this gateway: only function tools are");
      }
      for (Iterator<String> names = t.fieldNames(); names.hasNext(); ) {
        String n = names.next();
        if (!Set.of("type", "name", "description", "parameters", "strict").contains(n)) {
          throw invalid("\"tools[" + i + "]." + n + "\" is not supported");
        }
      }
      ObjectNode fn = out.addObject().put("type", "function").putObject("function");
      copy(t, fn, "name");
      copy(t, fn, "description");
      copy(t, fn, "parameters");
      copy(t, fn, "strict");
    }
  }

  private static void toolChoice(JsonNode choice, ObjectNode chat) {
    if (!present(choice)) {
      return;
    }
    if (choice.isTextual()) {
      chat.set("tool_choice", choice); // auto, none, required: the chat codec checks the value
      return;
    }
    if (choice.isObject() && "function".equals(choice.path("type").asText())) {
      ObjectNode c = chat.putObject("tool_choice").put("type", "function");
      c.putObject("function").set("name", choice.get("name"));
      return;
    }
    throw invalid(
        "\"tool_choice\" must be \"auto\", \"none\", \"required\" or {\"type\":\"function\","
            + "\"name\":…}");
  }

  private static void text(JsonNode text, ObjectNode chat) {
    if (!present(text)) {
      return;
    }
    if (!text.isObject()) {
      throw invalid("\"text\" must be an object");
    }
    for (Iterator<String> names = text.fieldNames(); names.hasNext(); ) {
      String n = names.next();
      if (!"format".equals(n) && !("verbosity".equals(n) && !present(text.get(n)))) {
        throw invalid("\"text." + n + "\" is not supported");
      }
    }
    JsonNode format = text.get("format");
    if (!present(format)) {
      return;
    }
    String type = format.path("type").asText("");
    ObjectNode rf = chat.putObject("response_format").put("type", type);
    switch (type) {
      case "text", "json_object" -> {}
      case "json_schema" -> {
        ObjectNode js = rf.putObject("json_schema");
        copy(format, js, "name");
        copy(format, js, "description");
        copy(format, js, "schema");
        copy(format, js, "strict");
      }
      default ->
          throw invalid(
              "\"text.format.type\" must be \"text\", \"json_object\" or \"json_schema\", was \""
                  + type
                  + "\"");
    }
  }

  private static void reasoning(JsonNode reasoning, ObjectNode chat) {
    if (!present(reasoning)) {
      return;
    }
    if (!reasoning.isObject()) {
      throw invalid("\"reasoning\" must be an object");
    }
    ObjectNode out = chat.putObject("reasoning");
    for (Iterator<Map.Entry<String, JsonNode>> it = reasoning.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      switch (f.getKey()) {
        case "effort", "max_tokens", "enabled", "exclude" -> out.set(f.getKey(), f.getValue());
        case "summary" -> {
          // The upstream's reasoning text is what the reasoning item's summary carries; the
          // requested length (auto, concise, detailed) cannot be told to every upstream.
          String v = f.getValue().isNull() ? "auto" : f.getValue().asText();
          if (!Set.of("auto", "concise", "detailed").contains(v)) {
            throw invalid("\"reasoning.summary\" must be auto, concise or detailed");
          }
        }
        default -> throw invalid("\"reasoning." + f.getKey() + "\" is not supported");
      }
    }
  }

  /** Only {@code reasoning.encrypted_content}, which every answer carries anyway. */
  private static void include(JsonNode include) {
    if (!present(include)) {
      return;
    }
    if (!include.isArray()) {
      throw invalid("\"include\" must be an array");
    }
    for (int i = 0; i < include.size(); i++) {
      if (!ENCRYPTED.equals(include.get(i).asText())) {
        throw invalid(
            "\"include["
                + i
                + "]\" \""
                + include.get(i).asText()
                + "\" is not supported; only \""
                + ENCRYPTED
                + "\" is");
      }
    }
  }

  /** The input items, turned into chat messages in order. */
  private static final class Items {

    private final ArrayNode messages;
    private ObjectNode assistant; // the assistant turn being gathered, or null

    Items(ArrayNode messages) {
      this.messages = messages;
    }

    void input(JsonNode input) {
      if (!present(input)) {
        throw invalid("\"input\" is required");
      }
      if (input.isTextual()) {
        messages.addObject().put("role", "user").put("content", input.asText());
        return;
      }
      if (!input.isArray() || input.isEmpty()) {
        throw invalid("\"input\" must be a string or a non-empty array of items");
      }
      for (int i = 0; i < input.size(); i++) {
        item(input.get(i), "input[" + i + "]");
      }
      flush();
    }

    private void item(JsonNode item, String at) {
      if (!item.isObject()) {
        throw invalid("\"" + at + "\" must be an object");
      }
      String type = item.path("type").asText(item.has("role") ? "message" : "");
      switch (type) {
        case "message" -> message(item, at);
        case "function_call" -> {
          ObjectNode turn = assistant();
          ArrayNode calls =
              turn.has("tool_calls")
                  ? (ArrayNode) turn.get("tool_calls")
                  : turn.putArray("tool_calls");
          ObjectNode call = calls.addObject();
          call.put("id", required(item, "call_id", at));
          call.put("type", "function");
          ObjectNode fn = call.putObject("function");
          fn.put("name", required(item, "name", at));
          fn.put("arguments", item.path("arguments").asText(""));
        }
        case "function_call_output" -> {
          flush();
          ObjectNode tool = messages.addObject().put("role", "tool");
          tool.put("tool_call_id", required(item, "call_id", at));
          JsonNode output = item.get("output");
          if (output == null || output.isNull()) {
            throw invalid("\"" + at + ".output\" is required");
          }
          tool.set("content", output.isTextual() ? output : parts(output, at + ".output"));
        }
        case "reasoning" -> reasoningItem(item, at);
        case "item_reference" ->
            throw invalid(
                "\"" + at + "\": item_reference is not supported: this gateway keeps no responses");
        default ->
            throw invalid("\"" + at + ".type\" \"" + type + "\" is not supported on /responses");
      }
    }

    private void message(JsonNode item, String at) {
      String role = item.path("role").asText("");
      JsonNode content = item.get("content");
      if (content == null || content.isNull()) {
        throw invalid("\"" + at + ".content\" is required");
      }
      switch (role) {
        case "user", "system", "developer" -> {
          flush();
          ObjectNode m = messages.addObject().put("role", role);
          m.set("content", content.isTextual() ? content : parts(content, at + ".content"));
        }
        case "assistant" -> {
          if (assistant != null && (assistant.has("content") || assistant.has("tool_calls"))) {
            flush();
          }
          ObjectNode turn = assistant();
          StringBuilder text = new StringBuilder();
          if (content.isTextual()) {
            text.append(content.asText());
          } else if (content.isArray()) {
            for (int i = 0; i < content.size(); i++) {
              JsonNode p = content.get(i);
              String t = p.path("type").asText("");
              switch (t) {
                case "output_text", "input_text" -> text.append(p.path("text").asText(""));
                case "refusal" -> turn.put("refusal", p.path("refusal").asText(""));
                default ->
                    throw invalid(
                        "\"" + at + ".content[" + i + "].type\" \"" + t + "\" is not supported");
              }
            }
          } else {
            throw invalid("\"" + at + ".content\" must be a string or an array");
          }
          turn.put("content", text.toString());
        }
        default ->
            throw invalid(
                "\""
                    + at
                    + ".role\" must be user, system, developer or assistant, was \""
                    + role
                    + "\"");
      }
    }

    private void reasoningItem(JsonNode item, String at) {
      if (assistant != null && (assistant.has("content") || assistant.has("tool_calls"))) {
        flush();
      }
      ObjectNode turn = assistant();
      StringBuilder text = new StringBuilder();
      for (JsonNode s : item.path("summary")) {
        text.append(s.path("text").asText(""));
      }
      for (JsonNode s : item.path("content")) {
        text.append(s.path("text").asText(""));
      }
      if (!text.isEmpty()) {
        turn.put("reasoning", text.toString());
      }
      JsonNode encrypted = item.get("encrypted_content");
      if (present(encrypted)) {
        turn.set("reasoning_details", details(encrypted.asText(), at));
      }
    }

    private ObjectNode assistant() {
      if (assistant == null) {
        assistant = ApiJson.object().put("role", "assistant");
      }
      return assistant;
    }

    private void flush() {
      if (assistant != null) {
        if (!assistant.has("content")) {
          assistant.putNull("content");
        }
        messages.add(assistant);
        assistant = null;
      }
    }
  }

  /** Responses content parts ({@code input_text}, {@code input_image}, ...) as chat parts. */
  private static ArrayNode parts(JsonNode content, String at) {
    if (!content.isArray()) {
      throw invalid("\"" + at + "\" must be a string or an array of parts");
    }
    ArrayNode out = ApiJson.mapper().createArrayNode();
    for (int i = 0; i < content.size(); i++) {
      JsonNode p = content.get(i);
      String where = at + "[" + i + "]";
      String type = p.path("type").asText("");
      switch (type) {
        case "input_text", "output_text", "text" ->
            out.addObject().put("type", "text").put("text", p.path("text").asText(""));
        case "input_image" -> {
          if (present(p.get("file_id")) || !present(p.get("image_url"))) {
            throw invalid("\"" + where + "\" needs an image_url (file ids are not supported)");
          }
          ObjectNode url = out.addObject().put("type", "image_url").putObject("image_url");
          url.set("url", p.get("image_url"));
          copy(p, url, "detail");
        }
        case "input_file" -> {
          if (present(p.get("file_id"))) {
            throw invalid("\"" + where + ".file_id\" is not supported: send file_data or file_url");
          }
          JsonNode data = present(p.get("file_data")) ? p.get("file_data") : p.get("file_url");
          if (!present(data)) {
            throw invalid("\"" + where + "\" needs file_data or file_url");
          }
          ObjectNode file = out.addObject().put("type", "file").putObject("file");
          copy(p, file, "filename");
          file.set("file_data", data);
        }
        case "input_audio" -> {
          ObjectNode audio = out.addObject().put("type", "input_audio");
          audio.set("input_audio", p.get("input_audio"));
        }
        default ->
            throw invalid("\"" + where + ".type\" \"" + type + "\" is not supported on /responses");
      }
    }
    return out;
  }

  /** {@code reasoning_details} from an {@code encrypted_content}: ours, or someone else's. */
  private static JsonNode details(String encrypted, String at) {
    try {
      JsonNode d = ApiJson.tree(Base64.getUrlDecoder().decode(encrypted));
      if (d != null && d.isArray()) {
        return d;
      }
    } catch (IOException | RuntimeException notOurs) {
      // fall through: someone else's opaque reasoning, passed on as it is
    }
    ArrayNode one = ApiJson.mapper().createArrayNode();
    one.addObject().put("type", "reasoning.encrypted").put("data", encrypted);
    return one;
  }

  /** The {@code encrypted_content} of a turn's {@code reasoning_details}. */
  static String encrypted(JsonNode reasoningDetails) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(ApiJson.bytes(reasoningDetails));
  }

  private static String required(JsonNode item, String field, String at) {
    JsonNode v = item.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw invalid("\"" + at + "." + field + "\" is required and must be a string");
    }
    return v.asText();
  }

  private static void copy(JsonNode from, ObjectNode to, String field) {
    JsonNode v = from.get(field);
    if (v != null && !v.isNull()) {
      to.set(field, v);
    }
  }

  private static boolean present(JsonNode n) {
    return n != null && !n.isNull();
  }

  private static GatewayException invalid(String message) {
    return GatewayException.invalid(message);
  }
}
