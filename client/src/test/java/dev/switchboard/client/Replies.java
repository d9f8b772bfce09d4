package dev.switchboard.client;

/** Small hand-written OpenRouter answers for replay tests. */
final class Replies {

  private Replies() {}

  static ReplayServer.Reply completion(String model, String text) {
    return ReplayServer.Reply.json(
            200,
            """
        {"id":"gen-1-abc","provider":"OpenAI","model":"%s","object":"chat.completion","created":1,
         "choices":[{"index":0,"logprobs":null,"finish_reason":"stop","native_finish_reason":"stop",
           "message":{"role":"assistant","content":"%s","refusal":null,"reasoning":null}}],
         "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5,"cost":0.00001}}
        """
                .formatted(model, text))
        .header("X-Generation-Id", "gen-1-abc");
  }

  static ReplayServer.Reply toolCall(String id, String name, String arguments) {
    String idField = id == null ? "" : "\"id\":\"" + id + "\",";
    return ReplayServer.Reply.json(
        200,
        """
        {"id":"gen-2-tool","provider":"OpenAI","model":"m/x","object":"chat.completion","created":1,
         "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
           "reasoning_details":[{"type":"reasoning.encrypted","data":"opaque","index":0}],
           "tool_calls":[{%s"type":"function","function":{"name":"%s","arguments":%s}}]}}],
         "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5,"cost":0.00002}}
        """
            .formatted(idField, name, quote(arguments)));
  }

  static ReplayServer.Reply error(int status, String message) {
    return ReplayServer.Reply.json(
        status, "{\"error\":{\"code\":" + status + ",\"message\":\"" + message + "\"}}");
  }

  static final String CHUNK =
      "data: {\"id\":\"gen-3-s\",\"provider\":\"OpenAI\",\"model\":\"m/x\",\"object\":\"chat.completion.chunk\","
          + "\"created\":1,\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"%s\"},"
          + "\"finish_reason\":null,\"native_finish_reason\":null,\"logprobs\":null}]}\n\n";

  static ReplayServer.Reply stream(String... deltas) {
    StringBuilder sb = new StringBuilder(": OPENROUTER PROCESSING\n\n");
    for (String d : deltas) {
      sb.append(CHUNK.formatted(d));
    }
    sb.append("data: [DONE]\n\n");
    return ReplayServer.Reply.sse(sb.toString());
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
