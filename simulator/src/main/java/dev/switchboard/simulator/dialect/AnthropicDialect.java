package dev.switchboard.simulator.dialect;

import dev.switchboard.simulator.behavior.Ids;
import dev.switchboard.simulator.behavior.Plan;
import dev.switchboard.simulator.behavior.Prompt;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic's Messages dialect ({@code POST /v1/messages}): request checks as Anthropic makes them
 * ({@link AnthropicRequestParser}), replies and streams in its shapes ({@link AnthropicResponse}),
 * its error envelope ({@link AnthropicErrors}).
 */
public final class AnthropicDialect implements Dialect {

  private final Ids ids;

  public AnthropicDialect(Ids ids) {
    this.ids = ids;
  }

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public Prompt parse(byte[] body) throws DialectException {
    return AnthropicRequestParser.parse(body);
  }

  @Override
  public Response respond(Prompt prompt, Plan plan) {
    List<String> toolIds = List.of();
    if (plan.reply() instanceof Plan.ToolCalls calls) {
      toolIds = new ArrayList<>(calls.calls().size());
      for (int i = 0; i < calls.calls().size(); i++) {
        toolIds.add(ids.next("toolu_01", 22));
      }
    }
    return new AnthropicResponse(prompt, plan, ids.next("msg_01", 22), toolIds);
  }

  @Override
  public String errorBody(int status) {
    return AnthropicErrors.forStatus(status);
  }

  @Override
  public String badRequestBody(DialectException e) {
    return AnthropicErrors.body(AnthropicErrors.typeFor(e.status()), e.getMessage());
  }

  @Override
  public String notFoundBody(String method, String path) {
    return AnthropicErrors.body("not_found_error", "Not Found");
  }

  @Override
  public String streamContentType() {
    return "text/event-stream; charset=utf-8";
  }
}
