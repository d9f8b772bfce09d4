package dev.switchboard.client.examples;

import dev.switchboard.client.Chat;
import dev.switchboard.client.ChatResponse;
import dev.switchboard.client.Plugin;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.UrlCitation;
import java.io.PrintStream;

/** Ground an answer in a web search; the sources come back as url citations. */
public final class WebPlugin {

  public static void main(String[] args) {
    try (SwitchboardClient client = Demo.client()) {
      run(client, System.out);
    }
  }

  public static void run(SwitchboardClient client, PrintStream out) {
    ChatResponse r =
        client
            .chat()
            .create(
                Chat.request("fast")
                    .user("What is new in Java 25?")
                    .plugins(Plugin.web().maxResults(3).build())
                    .build());
    out.println(r.text());
    for (UrlCitation c : r.citations()) {
      out.println("source: " + c.title() + " " + c.url());
    }
    if (r.citations().isEmpty()) {
      out.println("(no citations: this server does not run the web plugin)");
    }
  }
}
