package dev.switchboard.client.examples;

import dev.switchboard.client.SwitchboardClient;
import java.nio.file.Path;

/**
 * The client every example uses: a demo-mode gateway ({@code ./switchboard serve --demo}) by
 * default, or whatever {@code OPENROUTER_BASE_URL} and {@code OPENROUTER_API_KEY} say (in the
 * environment or a {@code .env} file), so the same examples run against openrouter.ai.
 */
public final class Demo {

  public static final String BASE_URL = "http://127.0.0.1:8080/api/v1";
  public static final String KEY = "sk-sb-v1-demo";

  private Demo() {}

  public static SwitchboardClient client() {
    return SwitchboardClient.builder()
        .baseUrl(BASE_URL)
        .apiKey(KEY)
        .env(System.getenv(), Path.of(".env"))
        .appName("Switchboard examples")
        .build();
  }
}
