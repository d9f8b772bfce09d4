package dev.switchboard.client.examples;

import dev.switchboard.client.Chat;
import dev.switchboard.client.ContentPart;
import dev.switchboard.client.SwitchboardClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Send a local image (read and sent as a data: URL with its MIME type) and an image URL. */
public final class ImageFromFile {

  /** A 1x1 PNG, used when no file is given on the command line. */
  static final String PIXEL =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

  public static void main(String[] args) throws IOException {
    try (SwitchboardClient client = Demo.client()) {
      run(client, System.out, args.length > 0 ? Path.of(args[0]) : pixel());
    }
  }

  public static void run(SwitchboardClient client, PrintStream out) {
    try {
      run(client, out, pixel());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void run(SwitchboardClient client, PrintStream out, Path image) {
    String answer =
        client
            .chat()
            .create(
                Chat.request("openai/gpt-5.2")
                    .user(
                        ContentPart.text("What is in these images?"),
                        ContentPart.image(image), // png, jpeg, webp or gif
                        ContentPart.imageUrl(
                            "https://upload.wikimedia.org/wikipedia/commons/4/47/PNG_transparency_demonstration_1.png"))
                    .build())
            .text();
    out.println(answer);
  }

  static Path pixel() throws IOException {
    Path file = Files.createTempFile("pixel", ".png");
    file.toFile().deleteOnExit();
    return Files.write(file, Base64.getDecoder().decode(PIXEL));
  }
}
