package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.json.ApiJson;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tool loop cases the simulator does not produce: unknown tools, bad arguments, missing ids. */
class ReplayToolLoopTest {

  record City(String city) {}

  record Forecast(String city, int celsius) {}

  record Trip(String city, Optional<Integer> days, Optional<String> unit) {}

  ReplayServer server;
  SwitchboardClient client;

  @BeforeEach
  void start() {
    server = ReplayServer.start();
    client = server.client().build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  ToolLoop loop() {
    return client
        .toolLoop()
        .tool(
            ToolFunction.of("get_weather", "Weather", City.class, c -> new Forecast(c.city(), 21)))
        .build();
  }

  JsonNode toolMessageOfSecondCall() {
    JsonNode messages = server.requests().get(1).json().get("messages");
    return messages.get(messages.size() - 1);
  }

  @Test
  void unknownToolIsReportedToTheModel() {
    server.on(
        "POST",
        "/chat/completions",
        Replies.toolCall("c1", "get_stock", "{}"),
        Replies.completion("m/x", "sorry"));
    ToolLoopResult r = loop().run("m/x", "Stock?");
    assertThat(r.answer()).isEqualTo("sorry");
    assertThat(r.invocations()).singleElement().satisfies(i -> assertThat(i.failed()).isTrue());
    assertThat(toolMessageOfSecondCall().get("content").asText())
        .contains("unknown tool 'get_stock'; available: get_weather");
  }

  @Test
  void argumentsThatAreNotJsonAreReportedToTheModel() {
    server.on(
        "POST",
        "/chat/completions",
        Replies.toolCall("c1", "get_weather", "{city:"),
        Replies.completion("m/x", "retry"));
    ToolLoopResult r = loop().run("m/x", "Weather?");
    assertThat(r.invocations().getFirst().result()).contains("not valid JSON");
  }

  @Test
  void toolTakingOptionalArgumentsIsCalledWithThem() {
    server.on(
        "POST",
        "/chat/completions",
        Replies.toolCall("c1", "plan_trip", "{\"city\":\"Porto\",\"days\":3,\"unit\":null}"),
        Replies.completion("m/x", "planned"));
    List<Trip> calls = new CopyOnWriteArrayList<>();
    ToolFunction plan =
        ToolFunction.of(
            "plan_trip",
            "Plan a trip",
            Trip.class,
            t -> {
              calls.add(t);
              return new Trip(t.city(), t.days(), Optional.of("metric"));
            });

    ToolLoopResult r = client.toolLoop().tool(plan).build().run("m/x", "A trip to Porto?");

    assertThat(calls).containsExactly(new Trip("Porto", Optional.of(3), Optional.empty()));
    assertThat(r.invocations())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.failed()).isFalse();
              assertThat(i.result())
                  .isEqualTo("{\"city\":\"Porto\",\"days\":3,\"unit\":\"metric\"}");
            });
  }

  @Test
  void jsonArgumentsOfTheWrongShapeAreReportedAsNotMatchingTheSchema() {
    server.on(
        "POST",
        "/chat/completions",
        Replies.toolCall("c1", "get_weather", "{\"city\":[1]}"),
        Replies.completion("m/x", "retry"));
    ToolLoopResult r = loop().run("m/x", "Weather?");
    assertThat(r.invocations().getFirst().result())
        .contains("arguments do not match City")
        .doesNotContain("not valid JSON");
  }

  @Test
  void recordResultsAreSentAsJsonAndCallsWithoutIdsGetOne() {
    server.on(
        "POST",
        "/chat/completions",
        Replies.toolCall(null, "get_weather", "{\"city\":\"Oslo\"}"),
        Replies.completion("m/x", "21 in Oslo"));
    ToolLoopResult r = loop().run("m/x", "Weather in Oslo?");
    assertThat(r.answer()).isEqualTo("21 in Oslo");
    JsonNode second = server.requests().get(1).json();
    JsonNode assistant = second.get("messages").get(1);
    String id = assistant.at("/tool_calls/0/id").asText();
    assertThat(id).isEqualTo("call_1_0");
    assertThat(assistant.at("/tool_calls/0").has("index")).isFalse();
    assertThat(assistant.at("/reasoning_details/0/data").asText()).isEqualTo("opaque");
    JsonNode tool = second.get("messages").get(2);
    assertThat(tool.get("tool_call_id").asText()).isEqualTo(id);
    assertThat(tool.get("content").asText()).isEqualTo("{\"city\":\"Oslo\",\"celsius\":21}");
    assertThat(second.get("tools")).hasSize(1);
    assertThat(r.totalCost()).isEqualByComparingTo("0.00003");
  }

  @Test
  void theRequestsToolChoiceIsSentInTheFirstRoundAndAutoAfterwards() {
    server.on(
        "POST",
        "/chat/completions",
        Replies.toolCall("c1", "get_weather", "{\"city\":\"Oslo\"}"),
        Replies.toolCall("c2", "get_weather", "{\"city\":\"Bergen\"}"),
        Replies.completion("m/x", "done"));

    loop()
        .run(
            Chat.request("m/x")
                .user("Weather?")
                .toolChoice(ToolChoice.function("get_weather"))
                .build());

    assertThat(server.requests())
        .extracting(r -> r.json().get("tool_choice").toString())
        .containsExactly(
            "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}",
            "\"auto\"",
            "\"auto\"");
  }

  @Test
  void aPerRoundToolChoiceOverridesTheDefaultOnlyWhereItGivesOne() {
    server.on(
        "POST",
        "/chat/completions",
        Replies.toolCall("c1", "get_weather", "{\"city\":\"Oslo\"}"),
        Replies.toolCall("c2", "get_weather", "{\"city\":\"Bergen\"}"),
        Replies.completion("m/x", "done"));

    client
        .toolLoop()
        .tool(ToolFunction.of("get_weather", "Weather", City.class, c -> "sunny"))
        .toolChoice(round -> round == 2 ? ToolChoice.required() : null)
        .build()
        .run(Chat.request("m/x").user("Weather?").build());

    assertThat(server.requests())
        .extracting(r -> r.json().path("tool_choice").toString())
        .containsExactly("", "\"required\"", "\"auto\"");
  }

  @Test
  void loopNeedsToolsWithUniqueNamesAndAPositiveRoundLimit() {
    ToolFunction f = ToolFunction.of("t", "x", ApiJson.object().put("type", "object"), a -> "ok");
    assertThatThrownBy(() -> client.toolLoop().build()).hasMessageContaining("at least one tool");
    assertThatThrownBy(() -> client.toolLoop().tool(f, f)).hasMessageContaining("registered twice");
    assertThatThrownBy(() -> client.toolLoop().maxRounds(0)).hasMessageContaining("at least 1");
    assertThat(ToolFunction.of("t", "x", City.class, c -> Map.of()).parameters().get("required"))
        .hasSize(1);
  }
}
