package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.chat.ChatMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tool loop against the gateway: the simulator calls tools, then answers from their results.
 */
@ExtendWith(InProcessGateway.Extension.class)
class ToolLoopIT {

  static final String MODEL = "xiaomi/mimo-v2-flash:free";

  record City(String city) {}

  record Day(String date) {}

  record Trip(String city, Optional<Integer> days, Optional<String> unit) {}

  static SwitchboardClient client;

  @BeforeAll
  static void start(InProcessGateway gw) {
    client = gw.client().build();
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  static ToolFunction weather(String answer) {
    return ToolFunction.of("get_weather", "Current weather in a city", City.class, c -> answer);
  }

  @Test
  void loopCallsTheToolAndReturnsTheAnswerBuiltOnItsResult() {
    ToolLoopResult result =
        client.toolLoop().tool(weather("sunny, 21C")).build().run(MODEL, "Weather in Paris?");
    assertThat(result.answer()).contains("sunny, 21C");
    assertThat(result.rounds()).isEqualTo(2);
    assertThat(result.invocations())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.name()).isEqualTo("get_weather");
              assertThat(i.arguments()).contains("\"city\"");
              assertThat(i.failed()).isFalse();
              assertThat(i.round()).isEqualTo(1);
            });
    assertThat(result.transcript())
        .extracting(ChatMessage::role)
        .containsExactly("user", "assistant", "tool", "assistant");
    assertThat(result.transcript().get(1).toolCalls()).hasSize(1);
    assertThat(result.transcript().get(2).toolCallId())
        .isEqualTo(result.transcript().get(1).toolCalls().getFirst().id());
    assertThat(result.totalCost()).isNotNegative();
  }

  @Test
  void toolTakingOptionalArgumentsIsCalledWithTheModelsArguments() {
    List<Trip> calls = new CopyOnWriteArrayList<>();
    ToolFunction plan =
        ToolFunction.of(
            "plan_trip",
            "Plan a trip",
            Trip.class,
            t -> {
              calls.add(t);
              return "planned " + t.city();
            });

    ToolLoopResult result = client.toolLoop().tool(plan).build().run(MODEL, "A trip to Porto?");

    // The simulated model fills every property of the schema, the optional ones included.
    assertThat(calls)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.city()).isEqualTo("city");
              assertThat(t.days()).isPresent();
              assertThat(t.unit()).contains("unit");
            });
    assertThat(result.invocations())
        .singleElement()
        .satisfies(i -> assertThat(i.failed()).isFalse());
    assertThat(result.answer()).contains("planned city");
  }

  @Test
  void parallelToolCallsRunAtTheSameTime() {
    CountDownLatch both = new CountDownLatch(2);
    ToolHandler meet =
        args -> {
          both.countDown();
          return both.await(5, TimeUnit.SECONDS) ? "met" : "alone";
        };
    ToolLoopResult result =
        client
            .toolLoop()
            .tool(
                ToolFunction.of("get_weather", "Weather", JsonSchemas.of(City.class), meet),
                ToolFunction.of("get_calendar", "Calendar", JsonSchemas.of(Day.class), meet))
            .build()
            .run(
                Chat.request(MODEL)
                    .user("Weather and calendar")
                    .toolChoice(ToolChoice.required())
                    .build());
    assertThat(result.invocations())
        .hasSize(2)
        .allSatisfy(i -> assertThat(i.result()).isEqualTo("met"));
    assertThat(result.invocations())
        .extracting(ToolInvocation::name)
        .containsExactly("get_weather", "get_calendar");
    assertThat(result.answer()).contains("met");
  }

  @Test
  void aForcedToolChoiceAppliesToTheFirstRoundOnlySoTheModelCanAnswer() {
    // The simulated model obeys "required" even after tool results, as a real model does: were the
    // choice sent again, it would call the tool in every round until the limit.
    ToolLoopResult result =
        client
            .toolLoop()
            .tool(weather("sunny, 21C"))
            .maxRounds(4)
            .build()
            .run(
                Chat.request(MODEL)
                    .user("Weather in Paris?")
                    .toolChoice(ToolChoice.required())
                    .build());

    assertThat(result.rounds()).isEqualTo(2);
    assertThat(result.answer()).contains("sunny, 21C");
  }

  @Test
  void aPerRoundToolChoiceIsSentInTheRoundsItNames() {
    // Round 1 and 2 must call the tool, round 3 may answer.
    ToolLoopResult result =
        client
            .toolLoop()
            .tool(weather("rain"))
            .toolChoice(round -> round <= 2 ? ToolChoice.function("get_weather") : null)
            .build()
            .run(MODEL, "Weather twice?");

    assertThat(result.invocations()).extracting(ToolInvocation::round).containsExactly(1, 2);
    assertThat(result.rounds()).isEqualTo(3);
    assertThat(result.answer()).contains("rain");
  }

  @Test
  void roundLimitStopsWithTheTranscriptSoFar() {
    MaxRoundsExceededException e =
        catchThrowableOfType(
            MaxRoundsExceededException.class,
            () ->
                client
                    .toolLoop()
                    .tool(weather("rain"))
                    .maxRounds(1)
                    .build()
                    .run(MODEL, "Weather?"));
    assertThat(e.maxRounds()).isEqualTo(1);
    assertThat(e.getMessage()).contains("get_weather").contains("1 rounds");
    assertThat(e.transcript()).extracting(ChatMessage::role).containsExactly("user", "assistant");
    assertThat(e.invocations()).isEmpty();
  }

  @Test
  void throwingToolIsReportedToTheModelWhichAnswersFromTheError() {
    ToolFunction broken =
        ToolFunction.of(
            "get_weather",
            "Weather",
            City.class,
            c -> {
              throw new IllegalStateException("station offline");
            });
    ToolLoopResult result = client.toolLoop().tool(broken).build().run(MODEL, "Weather?");
    assertThat(result.invocations())
        .singleElement()
        .satisfies(i -> assertThat(i.failed()).isTrue());
    assertThat(result.answer()).contains("IllegalStateException: station offline");
  }

  @Test
  void throwingToolStopsTheLoopWhenConfiguredTo() {
    ToolFunction broken =
        ToolFunction.of(
            "get_weather",
            "Weather",
            City.class,
            c -> {
              throw new IllegalStateException("station offline");
            });
    ToolExecutionException e =
        catchThrowableOfType(
            ToolExecutionException.class,
            () ->
                client
                    .toolLoop()
                    .tool(broken)
                    .failOnToolError(true)
                    .build()
                    .run(MODEL, "Weather?"));
    assertThat(e.toolName()).isEqualTo("get_weather");
    assertThat(e).hasCauseInstanceOf(IllegalStateException.class);
    assertThat(e.getMessage()).contains("station offline");
    assertThat(e.invocations()).singleElement().satisfies(i -> assertThat(i.failed()).isTrue());
  }
}
