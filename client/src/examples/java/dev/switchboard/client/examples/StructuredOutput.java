package dev.switchboard.client.examples;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.switchboard.client.Chat;
import dev.switchboard.client.SwitchboardClient;
import java.io.PrintStream;
import java.util.List;

/** Ask for JSON that fits a Java record (the schema is derived from it) and get the record back. */
public final class StructuredOutput {

  enum Difficulty {
    EASY,
    MEDIUM,
    HARD
  }

  record Recipe(
      @JsonPropertyDescription("The dish") String name,
      int servings,
      List<String> ingredients,
      Difficulty difficulty) {}

  public static void main(String[] args) {
    try (SwitchboardClient client = Demo.client()) {
      run(client, System.out);
    }
  }

  public static void run(SwitchboardClient client, PrintStream out) {
    Recipe recipe =
        client
            .chat()
            .create(Chat.request("smart").user("A simple pancake recipe").build(), Recipe.class);
    out.println(recipe);
  }
}
