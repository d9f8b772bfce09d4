package dev.switchboard.client.examples;

import dev.switchboard.client.Chat;
import dev.switchboard.client.ChatResponse;
import dev.switchboard.client.ProviderPreferences;
import dev.switchboard.client.SwitchboardClient;
import java.io.PrintStream;
import java.math.BigDecimal;

/** Choose and order the providers that may serve a model. */
public final class ProviderRouting {

  public static void main(String[] args) {
    try (SwitchboardClient client = Demo.client()) {
      run(client, System.out);
    }
  }

  public static void run(SwitchboardClient client, PrintStream out) {
    ProviderPreferences prefs =
        ProviderPreferences.builder()
            .order("deepseek", "together") // try these first, in this order
            .allowFallbacks(true) // then any other provider of the model
            .dataCollection("deny") // skip providers that train on prompts
            .sort("price")
            .maxPrice(new BigDecimal("1"), new BigDecimal("2")) // USD per million tokens
            .build();
    ChatResponse r =
        client
            .chat()
            .create(Chat.request("cheap").user("One word for happy?").provider(prefs).build());
    out.println(r.provider() + ": " + r.text());
  }
}
