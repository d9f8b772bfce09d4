package dev.switchboard.client.examples;

import dev.switchboard.api.chat.ToolCall;
import dev.switchboard.client.Chat;
import dev.switchboard.client.ChatResponse;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.ToolChoice;
import java.io.PrintStream;

/** Offer tools, force one with tool_choice, and read the calls the model makes (one round). */
public final class Tools {

  /** The tool's parameters: the schema is derived from the record. */
  record WeatherQuery(String city, String unit) {}

  public static void main(String[] args) {
    try (SwitchboardClient client = Demo.client()) {
      run(client, System.out);
    }
  }

  public static void run(SwitchboardClient client, PrintStream out) {
    ChatResponse response =
        client
            .chat()
            .create(
                Chat.request("cheap")
                    .user("What's the weather in Lisbon?")
                    .tools(
                        Chat.tool("get_weather", "Current weather in a city", WeatherQuery.class))
                    .toolChoice(ToolChoice.function("get_weather"))
                    .build());
    out.println("finish_reason: " + response.finishReason());
    for (ToolCall call : response.toolCalls()) {
      out.printf("%s(%s) id=%s%n", call.function().name(), call.function().arguments(), call.id());
    }
    // To answer, send the assistant turn (response.toMessage()) and Chat.toolResult(call.id(), ...)
    // back with the same tools, or let the tool loop do it (AgentLoop).
  }
}
