package dev.switchboard.client.examples;

import dev.switchboard.client.Chat;
import dev.switchboard.client.ChatResponse;
import dev.switchboard.client.SwitchboardClient;
import java.io.PrintStream;

/** Server-side fallback models (the request's models list) and client-side fallbacks. */
public final class Fallbacks {

  public static void main(String[] args) {
    try (SwitchboardClient client = Demo.client()) {
      run(client, System.out);
    }
  }

  public static void run(SwitchboardClient client, PrintStream out) {
    // The server tries model, then each of models, before answering (max three).
    ChatResponse r =
        client
            .chat()
            .create(
                Chat.request("smart")
                    .models("fast", "cheap")
                    .user("Give me a fun fact about octopuses.")
                    .build());
    out.println("served by " + r.model() + " via " + r.provider() + ": " + r.text());

    // Client-side fallbacks: when a call still fails after retries (404, 408, 429, 5xx,
    // connection errors), the client tries these models in order.
    try (SwitchboardClient resilient = client.toBuilder().fallbackModels("cheap", "fast").build()) {
      ChatResponse r2 = resilient.chat().create(Chat.request("powerful").user("Say hi").build());
      out.println("served by " + r2.model() + ": " + r2.text());
    }
  }
}
