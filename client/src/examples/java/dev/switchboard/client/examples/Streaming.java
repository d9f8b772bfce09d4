package dev.switchboard.client.examples;

import dev.switchboard.client.Chat;
import dev.switchboard.client.ChatStream;
import dev.switchboard.client.StreamAccumulator;
import dev.switchboard.client.SwitchboardClient;
import java.io.PrintStream;

/** Print the answer as it is generated, then the usage of the whole stream. */
public final class Streaming {

  public static void main(String[] args) {
    try (SwitchboardClient client = Demo.client()) {
      run(client, System.out);
    }
  }

  public static void run(SwitchboardClient client, PrintStream out) {
    // Closing the stream (try-with-resources) cancels the request if it is still running.
    try (ChatStream stream =
        client.chat().stream(Chat.request("fast").user("Write a haiku about the sea").build())) {
      stream.textDeltas().forEach(out::print);
      out.println();
      StreamAccumulator summary = stream.accumulated();
      out.printf(
          "finish=%s tokens=%s%n",
          summary.finishReason().orElse("?"),
          summary.usage().map(u -> Long.toString(u.totalTokens())).orElse("?"));
    }
  }
}
