package dev.switchboard.client.examples;

import dev.switchboard.client.Chat;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.ToolChoice;
import dev.switchboard.client.ToolFunction;
import dev.switchboard.client.ToolInvocation;
import dev.switchboard.client.ToolLoopResult;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.Map;

/** Register Java functions as tools and let the SDK run call, execute, answer until done. */
public final class AgentLoop {

  record City(String city) {}

  record Day(String date) {}

  public static void main(String[] args) {
    try (SwitchboardClient client = Demo.client()) {
      run(client, System.out);
    }
  }

  public static void run(SwitchboardClient client, PrintStream out) {
    ToolFunction weather =
        ToolFunction.of(
            "get_weather",
            "Current weather in a city",
            City.class,
            c -> Map.of("city", c.city(), "celsius", 21, "sky", "clear"));
    ToolFunction agenda =
        ToolFunction.of(
            "get_agenda",
            "Meetings on a day (ISO date)",
            Day.class,
            d -> "No meetings on " + d.date() + " (today is " + LocalDate.now() + ")");

    ToolLoopResult result =
        client
            .toolLoop()
            .tool(weather, agenda)
            .maxRounds(5) // at most five model calls
            .build()
            .run(
                Chat.request("cheap")
                    .user("Should I plan a picnic in Porto tomorrow?")
                    // both tools in the first turn; later turns are "auto", so it can answer
                    .toolChoice(ToolChoice.required())
                    .build());

    for (ToolInvocation call : result.invocations()) {
      out.printf(
          "round %d: %s(%s) -> %s%n", call.round(), call.name(), call.arguments(), call.result());
    }
    out.println("answer: " + result.answer());
    out.printf(
        "%d rounds, %d messages, $%s%n",
        result.rounds(), result.transcript().size(), result.totalCost());
  }
}
