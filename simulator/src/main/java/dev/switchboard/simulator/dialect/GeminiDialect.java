package dev.switchboard.simulator.dialect;

import dev.switchboard.simulator.behavior.Ids;
import dev.switchboard.simulator.behavior.Plan;
import dev.switchboard.simulator.behavior.Prompt;
import dev.switchboard.simulator.behavior.ThinkingText;
import dev.switchboard.simulator.behavior.Tokens;

/**
 * Google's Gemini dialect: {@code POST .../models/<model>:generateContent} and {@code
 * :streamGenerateContent?alt=sse}. The model and the method are in the path, not the body, so the
 * route binds them per request with {@link #at}; the unbound instance only renders errors. Response
 * shapes: {@link GeminiResponse}; request rules: {@link GeminiRequestParser}.
 */
public final class GeminiDialect implements Dialect {

  private static final String GENERATE = "generateContent";
  private static final String STREAM = "streamGenerateContent";

  private final Ids ids;
  private final String model;
  private final String method;
  private final String alt;

  public GeminiDialect(Ids ids) {
    this(ids, null, null, null);
  }

  private GeminiDialect(Ids ids, String model, String method, String alt) {
    this.ids = ids;
    this.model = model;
    this.method = method;
    this.alt = alt;
  }

  /**
   * This dialect for one request: {@code modelAction} is the last path segment ({@code
   * gemini-3-flash-preview:streamGenerateContent}), {@code alt} the query parameter (may be null).
   */
  public GeminiDialect at(String modelAction, String alt) {
    int colon = modelAction == null ? -1 : modelAction.lastIndexOf(':');
    return colon < 0
        ? new GeminiDialect(ids, modelAction, null, alt)
        : new GeminiDialect(
            ids, modelAction.substring(0, colon), modelAction.substring(colon + 1), alt);
  }

  @Override
  public String name() {
    return "gemini";
  }

  @Override
  public Prompt parse(byte[] body) throws DialectException {
    if (model == null || model.isEmpty() || method == null) {
      throw new DialectException(
          404,
          "Method not found. Use models/<model>:generateContent or :streamGenerateContent.",
          null,
          "NOT_FOUND");
    }
    boolean stream;
    switch (method) {
      case GENERATE -> stream = false;
      case STREAM -> {
        if (!"sse".equals(alt)) {
          throw new DialectException(
              400,
              "The simulator streams only Server-Sent Events: add ?alt=sse.",
              null,
              "INVALID_ARGUMENT");
        }
        stream = true;
      }
      default ->
          throw new DialectException(
              404,
              "models/"
                  + model
                  + " is not found for API version v1beta, or is not supported for "
                  + method
                  + ".",
              null,
              "NOT_FOUND");
    }
    return GeminiRequestParser.parse(body, model, stream);
  }

  @Override
  public Response respond(Prompt prompt, Plan plan) {
    String thinking = ThinkingText.forPlan(prompt, plan);
    boolean showThinking = prompt.reasoning();
    boolean signed =
        showThinking
            || (prompt.model().startsWith("gemini-3") && plan.reply() instanceof Plan.ToolCalls);
    return new GeminiResponse(
        prompt,
        plan,
        ids.next("", 23),
        showThinking ? thinking : null,
        signed ? ThinkingText.signature(thinking) : null,
        showThinking ? Tokens.count(thinking) : 0);
  }

  @Override
  public String errorBody(int status) {
    return GeminiErrors.forStatus(status);
  }

  @Override
  public String badRequestBody(DialectException e) {
    return GeminiErrors.body(
        e.status(),
        e.getMessage(),
        e.code() != null ? e.code() : GeminiErrors.rpcStatus(e.status()));
  }

  @Override
  public String notFoundBody(String method, String path) {
    return GeminiErrors.body(404, "Invalid URL (" + method + " " + path + ")", "NOT_FOUND");
  }

  @Override
  public String streamContentType() {
    return "text/event-stream";
  }
}
