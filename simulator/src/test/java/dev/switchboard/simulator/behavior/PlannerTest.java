package dev.switchboard.simulator.behavior;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.simulator.behavior.Plan.Finish;
import dev.switchboard.simulator.behavior.Prompt.OutputFormat;
import dev.switchboard.simulator.behavior.Prompt.Role;
import dev.switchboard.simulator.behavior.Prompt.ToolChoice;
import dev.switchboard.simulator.behavior.Prompt.ToolSpec;
import dev.switchboard.simulator.behavior.Prompt.Turn;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {

  private static final JsonNode WEATHER =
      json(
          "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
              + "\"units\":{\"enum\":[\"c\",\"f\"]}},\"required\":[\"city\",\"units\"]}");
  private static final JsonNode STOCK =
      json("{\"type\":\"object\",\"properties\":{\"ticker\":{\"type\":\"string\"}}}");
  private static final List<ToolSpec> TOOLS =
      List.of(new ToolSpec("get_weather", WEATHER), new ToolSpec("get_stock", STOCK));

  private final Planner planner = new Planner(42);

  @Test
  void answersTheLastUserMessageInText() {
    Plan plan = planner.plan(prompt(List.of(user("Tell me a joke")), List.of()));

    Plan.Text text = (Plan.Text) plan.reply();
    assertThat(text.text()).startsWith("Simulated answer to: Tell me a joke ");
    assertThat(text.finish()).isEqualTo(Finish.STOP);
  }

  @Test
  void countsPromptAndCompletionTokensThatAddUp() {
    Plan plan =
        planner.plan(
            prompt(List.of(new Turn(Role.SYSTEM, "Be brief."), user("Hello there")), List.of()));

    assertThat(plan.promptTokens())
        .isEqualTo(Tokens.count("Be brief.") + Tokens.count("Hello there"));
    assertThat(plan.completionTokens()).isEqualTo(((Plan.Text) plan.reply()).tokens().size());
    assertThat(plan.totalTokens()).isEqualTo(plan.promptTokens() + plan.completionTokens());
  }

  @Test
  void truncatesAtTheTokenLimitWithFinishLength() {
    Plan plan = planner.plan(prompt(List.of(user("Hi")), List.of()).withMaxTokens(3));

    assertThat(((Plan.Text) plan.reply()).text()).isEqualTo("Simulated answer to");
    assertThat(plan.reply().finish()).isEqualTo(Finish.LENGTH);
    assertThat(plan.completionTokens()).isEqualTo(3);
  }

  @Test
  void cutsAtTheEarliestStopStringWithFinishStop() {
    Plan plan =
        planner.plan(prompt(List.of(user("Hi")), List.of()).withStop(List.of("to:", "answer")));

    assertThat(((Plan.Text) plan.reply()).text()).isEqualTo("Simulated ");
    assertThat(plan.reply().finish()).isEqualTo(Finish.STOP);
  }

  @Test
  void callsTheFirstToolWithSchemaValidArguments() {
    Plan plan = planner.plan(prompt(List.of(user("Weather?")), TOOLS));

    Plan.ToolCalls calls = (Plan.ToolCalls) plan.reply();
    assertThat(calls.calls()).extracting(Plan.Call::name).containsExactly("get_weather");
    assertThat(calls.finish()).isEqualTo(Finish.TOOL_CALLS);
    JsonNode args = json(calls.calls().getFirst().arguments());
    assertThat(SchemaCheck.errors(WEATHER, args)).isEmpty();
    assertThat(args.get("city").asText()).isEqualTo("city");
    assertThat(plan.completionTokens()).isEqualTo(calls.calls().getFirst().fragments().size());
  }

  @Test
  void callsTheToolNamedByToolChoice() {
    Plan plan =
        planner.plan(
            prompt(List.of(user("Price?")), TOOLS).withChoice(new ToolChoice.Named("get_stock")));

    assertThat(((Plan.ToolCalls) plan.reply()).calls())
        .extracting(Plan.Call::name)
        .containsExactly("get_stock");
  }

  @Test
  void callsTheFirstTwoToolsWhenRequiredAndParallel() {
    Plan plan =
        planner.plan(prompt(List.of(user("Both?")), TOOLS).withChoice(new ToolChoice.Required()));

    assertThat(((Plan.ToolCalls) plan.reply()).calls())
        .extracting(Plan.Call::name)
        .containsExactly("get_weather", "get_stock");
  }

  @Test
  void callsOneToolWhenParallelCallsAreOff() {
    Prompt p = prompt(List.of(user("Both?")), TOOLS).withChoice(new ToolChoice.Required());
    Prompt serial =
        new Prompt(
            p.model(),
            p.turns(),
            p.tools(),
            p.toolChoice(),
            false,
            p.format(),
            null,
            List.of(),
            false,
            false);

    assertThat(((Plan.ToolCalls) planner.plan(serial).reply()).calls()).hasSize(1);
  }

  @Test
  void answersInTextWhenToolChoiceIsNone() {
    Plan plan = planner.plan(prompt(List.of(user("Hi")), TOOLS).withChoice(new ToolChoice.None()));

    assertThat(plan.reply()).isInstanceOf(Plan.Text.class);
  }

  @Test
  void quotesTheToolResultsAfterToolTurns() {
    Plan plan =
        planner.plan(
            prompt(
                List.of(
                    user("Weather?"),
                    new Turn(Role.ASSISTANT, "{\"city\":\"city\"}"),
                    new Turn(Role.TOOL, "12 degrees and sunny")),
                TOOLS));

    assertThat(((Plan.Text) plan.reply()).text())
        .isEqualTo("Simulated answer from the tool result: \"12 degrees and sunny\".");
  }

  @Test
  void aForcedToolChoiceCallsToolsAgainAfterToolResults() {
    List<Turn> afterResults =
        List.of(
            user("Weather?"),
            new Turn(Role.ASSISTANT, "{\"city\":\"city\"}"),
            new Turn(Role.TOOL, "12 degrees and sunny"));

    // As a real model does: "required" or a named tool leaves it no choice but to call again.
    Plan required = planner.plan(prompt(afterResults, TOOLS).withChoice(new ToolChoice.Required()));
    Plan named =
        planner.plan(prompt(afterResults, TOOLS).withChoice(new ToolChoice.Named("get_weather")));
    Plan auto = planner.plan(prompt(afterResults, TOOLS).withChoice(new ToolChoice.Auto()));

    assertThat(((Plan.ToolCalls) required.reply()).calls())
        .extracting(Plan.Call::name)
        .containsExactly("get_stock");
    assertThat(((Plan.ToolCalls) named.reply()).calls())
        .extracting(Plan.Call::name)
        .containsExactly("get_weather");
    assertThat(auto.reply()).isInstanceOf(Plan.Text.class);
  }

  @Test
  void returnsJsonValidAgainstTheResponseSchema() {
    JsonNode schema =
        json(
            "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
                + "\"age\":{\"type\":\"integer\",\"minimum\":18}},\"required\":[\"name\",\"age\"],"
                + "\"additionalProperties\":false}");
    Plan plan =
        planner.plan(
            prompt(List.of(user("Who?")), List.of())
                .withFormat(new OutputFormat.JsonSchema("person", schema)));

    JsonNode output = json(((Plan.Text) plan.reply()).text());
    assertThat(SchemaCheck.errors(schema, output)).isEmpty();
    assertThat(output.get("age").asInt()).isEqualTo(18);
  }

  @Test
  void returnsASmallJsonObjectForJsonObjectFormat() {
    Plan plan =
        planner.plan(
            prompt(List.of(user("Hi")), List.of()).withFormat(new OutputFormat.JsonObject()));

    assertThat(json(((Plan.Text) plan.reply()).text()).get("answer").asText())
        .startsWith("Simulated answer to: Hi");
  }

  private static Turn user(String text) {
    return new Turn(Role.USER, text);
  }

  private static Prompt prompt(List<Turn> turns, List<ToolSpec> tools) {
    return new Prompt(
        "m",
        turns,
        tools,
        new ToolChoice.Auto(),
        true,
        new OutputFormat.Text(),
        null,
        List.of(),
        false,
        false);
  }

  private static JsonNode json(String text) {
    try {
      return ApiJson.tree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
