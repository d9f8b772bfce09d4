package dev.switchboard.simulator;

import dev.switchboard.simulator.behavior.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * Breaks the tool calls of a planned reply for the {@code bad_tool_calls} fault, so that the
 * gateway's tool-call checks ({@code :exacto}) have something to find. Text replies pass unchanged.
 */
final class BrokenToolCalls {

  /** A name no request offers. */
  static final String UNKNOWN_NAME = "sim_unknown_tool";

  private BrokenToolCalls() {}

  static Plan apply(Plan plan, Fault.ToolCallDefect defect) {
    if (!(plan.reply() instanceof Plan.ToolCalls calls)) {
      return plan;
    }
    List<Plan.Call> broken = new ArrayList<>(calls.calls().size());
    for (Plan.Call c : calls.calls()) {
      broken.add(
          switch (defect) {
            case INVALID_JSON -> {
              String args = c.arguments();
              yield new Plan.Call(c.name(), List.of(args.substring(0, args.length() / 2) + "{,"));
            }
            case UNKNOWN_NAME -> new Plan.Call(UNKNOWN_NAME, c.fragments());
            case SCHEMA_MISMATCH -> new Plan.Call(c.name(), List.of("[", "1", "]"));
          });
    }
    return new Plan(new Plan.ToolCalls(broken, calls.finish()), plan.promptTokens());
  }
}
