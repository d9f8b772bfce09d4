package dev.switchboard.client.examples;

import dev.switchboard.client.Chat;
import dev.switchboard.client.ContentPart;
import dev.switchboard.client.SwitchboardClient;
import java.io.PrintStream;

/** Ask a video-capable model about a video at a URL. */
public final class VideoUrl {

  public static void main(String[] args) {
    try (SwitchboardClient client = Demo.client()) {
      run(client, System.out);
    }
  }

  public static void run(SwitchboardClient client, PrintStream out) {
    String answer =
        client
            .chat()
            .create(
                Chat.request("fast") // google/gemini-3-flash-preview takes video input
                    .user(
                        ContentPart.text("Summarize this video in two sentences."),
                        ContentPart.videoUrl("https://www.youtube.com/watch?v=dQw4w9WgXcQ"))
                    .build())
            .text();
    out.println(answer);
  }
}
