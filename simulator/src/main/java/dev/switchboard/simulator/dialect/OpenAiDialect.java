package dev.switchboard.simulator.dialect;

import dev.switchboard.simulator.behavior.Ids;
import dev.switchboard.simulator.behavior.Plan;
import dev.switchboard.simulator.behavior.Prompt;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's chat completions dialect ({@code POST /v1/chat/completions}), also spoken by DeepSeek,
 * Groq, xAI and most "OpenAI-compatible" vendors. Response shapes: {@link OpenAiResponse}.
 */
public final class OpenAiDialect implements Dialect {

  private final Ids ids;

  public OpenAiDialect(Ids ids) {
    this.ids = ids;
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public Prompt parse(byte[] body) throws DialectException {
    return OpenAiRequestParser.parse(body);
  }

  @Override
  public Response respond(Prompt prompt, Plan plan) {
    List<String> callIds = List.of();
    if (plan.reply() instanceof Plan.ToolCalls calls) {
      callIds = new ArrayList<>(calls.calls().size());
      for (int i = 0; i < calls.calls().size(); i++) {
        callIds.add(ids.next("call_", 24));
      }
    }
    return new OpenAiResponse(
        prompt,
        plan,
        ids.next("chatcmpl-", 29),
        System.currentTimeMillis() / 1000,
        ids.fingerprint(prompt.model()),
        callIds);
  }

  @Override
  public String errorBody(int status) {
    return OpenAiErrors.forStatus(status);
  }

  @Override
  public String badRequestBody(DialectException e) {
    return OpenAiErrors.body(
        e.getMessage(),
        e.status() >= 500 ? "server_error" : "invalid_request_error",
        e.param(),
        e.code());
  }

  @Override
  public String notFoundBody(String method, String path) {
    return OpenAiErrors.body(
        "Invalid URL (" + method + " " + path + ")", "invalid_request_error", null, null);
  }

  @Override
  public String streamContentType() {
    return "text/event-stream; charset=utf-8";
  }
}
