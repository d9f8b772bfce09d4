package dev.switchboard.client.examples;

import dev.switchboard.client.Chat;
import dev.switchboard.client.ChatStream;
import dev.switchboard.client.SwitchboardClient;
import java.io.PrintStream;

/** See the body that was sent upstream: a streaming request with debug.echo_upstream_body. */
public final class DebugEcho {

  public static void main(String[] args) {
    try (SwitchboardClient client = Demo.client()) {
      run(client, System.out);
    }
  }

  public static void run(SwitchboardClient client, PrintStream out) {
    try (ChatStream stream =
        client.chat().stream(
            Chat.request("smart").user("Hello").debugEchoUpstreamBody(true).build())) {
      String text = stream.accumulate().text();
      out.println(
          stream
              .debugEcho()
              .map(body -> "sent upstream: " + body)
              .orElse("(no debug chunk: this server does not echo the upstream body)"));
      out.println(text);
    }
  }
}
