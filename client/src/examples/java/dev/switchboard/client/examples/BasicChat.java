package dev.switchboard.client.examples;

import dev.switchboard.client.Chat;
import dev.switchboard.client.ChatResponse;
import dev.switchboard.client.Prompt;
import dev.switchboard.client.SwitchboardClient;
import java.io.PrintStream;

/** A question, an answer, what it cost. */
public final class BasicChat {

  public static void main(String[] args) {
    try (SwitchboardClient client = Demo.client()) {
      run(client, System.out);
    }
  }

  public static void run(SwitchboardClient client, PrintStream out) {
    // The one-liner: a model (or an alias) and a prompt.
    out.println(client.chat().ask("fast", "What is the capital of France?"));

    // With a system prompt, a temperature and a token limit.
    out.println(
        client
            .chat()
            .ask(
                Prompt.of("Name three rivers in Europe")
                    .withModel("cheap")
                    .withSystem("Answer in one line.")
                    .withTemperature(0.2)
                    .withMaxTokens(60)));

    // The full request and response.
    ChatResponse response =
        client
            .chat()
            .create(
                Chat.request("smart")
                    .system("You are a concise assistant.")
                    .user("Explain recursion in one sentence.")
                    .build());
    out.println(response.text());
    out.printf(
        "model=%s provider=%s tokens=%d cost=$%s generation=%s%n",
        response.model(),
        response.provider(),
        response.usage().totalTokens(),
        response.cost().map(Object::toString).orElse("?"),
        response.generationId());
  }
}
