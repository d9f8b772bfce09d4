package dev.switchboard.simulator.behavior;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.behavior.Plan.Call;
import dev.switchboard.simulator.behavior.Plan.Finish;
import dev.switchboard.simulator.behavior.Prompt.OutputFormat;
import dev.switchboard.simulator.behavior.Prompt.Role;
import dev.switchboard.simulator.behavior.Prompt.ToolChoice;
import dev.switchboard.simulator.behavior.Prompt.ToolSpec;
import dev.switchboard.simulator.behavior.Prompt.Turn;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides the reply to a {@link Prompt}; pure and deterministic. The rules, in order:
 *
 * <ol>
 *   <li><b>Tool calls</b> when tools are offered, the tool choice is not {@code none} and either
 *       the last turn is the user's or the choice forces a call ({@code required} or a named tool,
 *       which a real model obeys even after tool results): the tool named by the choice, else the
 *       first tool. With choice {@code required}, parallel calls allowed and two or more tools, the
 *       first two tools are called; after tool results, {@code required} calls the last tool
 *       offered, once (a model that has used its tools moves on, for example to an answer tool the
 *       caller appended). Arguments are generated from each tool's schema ({@link
 *       SchemaInstances}); a string argument {@code query} is the user's last message and one named
 *       {@code url} the first URL in it.
 *   <li><b>JSON schema output</b>: an instance of the schema ({@link SchemaInstances}).
 *   <li><b>JSON object output</b>: {@code {"answer": <the text answer below>}}.
 *   <li><b>After tool results</b> (last turn is a tool result): text quoting every trailing result.
 *   <li>Otherwise text derived from the last user turn ({@link AnswerText#forPrompt}).
 * </ol>
 *
 * <p>Then stop strings cut a text reply before the earliest match ({@code stop}; the reply keeps
 * which string matched, for the dialects that report it), and the token limit truncates text or
 * argument fragments ({@code length}, and then no stop string ended the reply). Prompt tokens are
 * the {@link Tokens#count} of every turn's text; completion tokens are the tokens emitted.
 */
public final class Planner {

  private final long seed;

  public Planner(long seed) {
    this.seed = seed;
  }

  public Plan plan(Prompt prompt) {
    int promptTokens = 0;
    for (Turn turn : prompt.turns()) {
      promptTokens += Tokens.count(turn.text());
    }
    Turn last = prompt.turns().isEmpty() ? null : prompt.turns().getLast();
    boolean userLast = last != null && last.role() == Role.USER;
    boolean forced =
        prompt.toolChoice() instanceof ToolChoice.Required
            || prompt.toolChoice() instanceof ToolChoice.Named;
    Plan.Reply reply =
        (userLast || forced)
                && last != null
                && !prompt.tools().isEmpty()
                && !(prompt.toolChoice() instanceof ToolChoice.None)
            ? toolCalls(prompt, !userLast)
            : text(prompt, replyText(prompt, last));
    return new Plan(reply, promptTokens);
  }

  private String replyText(Prompt prompt, Turn last) {
    return switch (prompt.format()) {
      case OutputFormat.JsonSchema js ->
          ApiJson.string(SchemaInstances.generate(js.schema(), js.name()));
      case OutputFormat.JsonObject jo -> {
        ObjectNode answer = ApiJson.object();
        answer.put("answer", plainAnswer(prompt, last));
        yield ApiJson.string(answer);
      }
      case OutputFormat.Text t -> plainAnswer(prompt, last);
    };
  }

  private String plainAnswer(Prompt prompt, Turn last) {
    if (last != null && last.role() == Role.TOOL) {
      List<String> results = new ArrayList<>();
      List<Turn> turns = prompt.turns();
      for (int i = turns.size() - 1; i >= 0 && turns.get(i).role() == Role.TOOL; i--) {
        results.addFirst(turns.get(i).text());
      }
      return AnswerText.afterToolResults(results);
    }
    String user = "";
    for (Turn turn : prompt.turns().reversed()) {
      if (turn.role() == Role.USER) {
        user = turn.text();
        break;
      }
    }
    return AnswerText.forPrompt(user, seed);
  }

  private static Plan.Text text(Prompt prompt, String text) {
    Finish finish = Finish.STOP;
    int cut = text.length();
    String matched = null;
    for (String stop : prompt.stop()) {
      int at = stop.isEmpty() ? -1 : text.indexOf(stop);
      if (at >= 0 && at < cut) {
        cut = at;
        matched = stop;
      }
    }
    List<String> tokens = Tokens.split(cut < text.length() ? text.substring(0, cut) : text);
    Integer max = prompt.maxTokens();
    if (max != null && tokens.size() > max) {
      tokens = tokens.subList(0, Math.max(0, max));
      finish = Finish.LENGTH;
      matched = null;
    }
    return new Plan.Text(tokens, finish, matched);
  }

  private static Plan.ToolCalls toolCalls(Prompt prompt, boolean afterResults) {
    List<ToolSpec> chosen = chooseTools(prompt, afterResults);
    Integer max = prompt.maxTokens();
    int budget = max == null ? Integer.MAX_VALUE : max;
    Finish finish = Finish.TOOL_CALLS;
    List<Call> calls = new ArrayList<>(chosen.size());
    for (ToolSpec tool : chosen) {
      if (budget <= 0) {
        finish = Finish.LENGTH;
        break;
      }
      List<String> fragments = Tokens.split(arguments(tool, lastUser(prompt)));
      if (fragments.size() > budget) {
        fragments = fragments.subList(0, budget);
        finish = Finish.LENGTH;
      }
      budget -= fragments.size();
      calls.add(new Call(tool.name(), fragments));
    }
    return new Plan.ToolCalls(calls, finish);
  }

  private static List<ToolSpec> chooseTools(Prompt prompt, boolean afterResults) {
    List<ToolSpec> tools = prompt.tools();
    if (prompt.toolChoice() instanceof ToolChoice.Named named) {
      for (ToolSpec tool : tools) {
        if (tool.name().equals(named.name())) {
          return List.of(tool);
        }
      }
    }
    if (afterResults) {
      return List.of(tools.getLast());
    }
    if (prompt.toolChoice() instanceof ToolChoice.Required
        && prompt.parallelToolCalls()
        && tools.size() >= 2) {
      return tools.subList(0, 2);
    }
    return tools.subList(0, 1);
  }

  private static String arguments(ToolSpec tool, String user) {
    JsonNode schema = tool.parameters();
    if (schema == null || schema.isNull() || schema.isEmpty()) {
      return "{}";
    }
    JsonNode args = SchemaInstances.generate(schema, tool.name());
    if (!args.isObject()) {
      return "{}";
    }
    fromUser((ObjectNode) args, schema, user);
    return ApiJson.string(args);
  }

  /**
   * What a model would take from the user's words: a top-level string argument named {@code query}
   * gets the user's last message, one named {@code url} the first http(s) URL in it (when there is
   * one). Search and fetch tools are then called as the user asked.
   */
  private static void fromUser(ObjectNode args, JsonNode schema, String user) {
    if (user == null || user.isBlank()) {
      return;
    }
    JsonNode props = schema.path("properties");
    if (props.path("query").path("type").asText("").equals("string")) {
      args.put("query", user);
    }
    if (props.path("url").path("type").asText("").equals("string")) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("https?://[^\\s\"'<>]+").matcher(user);
      if (m.find()) {
        args.put("url", m.group());
      }
    }
  }

  private static String lastUser(Prompt prompt) {
    for (Turn turn : prompt.turns().reversed()) {
      if (turn.role() == Role.USER) {
        return turn.text();
      }
    }
    return null;
  }
}
