package dev.switchboard.client;

import dev.switchboard.api.chat.ChatRequest;

/**
 * The simple case of a chat call: one user prompt, maybe a system prompt, a temperature and a token
 * limit. {@code model} null means the client's default model.
 *
 * <pre>{@code
 * client.chat().ask(Prompt.of("Name three rivers").withModel("fast").withMaxTokens(50));
 * }</pre>
 */
public record Prompt(
    String model, String system, String user, Double temperature, Integer maxTokens) {

  public Prompt {
    Checks.requireText(user, "prompt");
  }

  public static Prompt of(String user) {
    return new Prompt(null, null, user, null, null);
  }

  public Prompt withModel(String model) {
    return new Prompt(model, system, user, temperature, maxTokens);
  }

  public Prompt withSystem(String system) {
    return new Prompt(model, system, user, temperature, maxTokens);
  }

  public Prompt withTemperature(double temperature) {
    return new Prompt(model, system, user, temperature, maxTokens);
  }

  public Prompt withMaxTokens(int maxTokens) {
    return new Prompt(model, system, user, temperature, maxTokens);
  }

  /** The chat request this prompt stands for. */
  public ChatRequest toRequest() {
    ChatRequestBuilder b = Chat.request();
    if (model != null) {
      b.model(model);
    }
    if (system != null) {
      b.system(system);
    }
    b.user(user);
    if (temperature != null) {
      b.temperature(temperature);
    }
    if (maxTokens != null) {
      b.maxTokens(maxTokens);
    }
    return b.build();
  }
}
