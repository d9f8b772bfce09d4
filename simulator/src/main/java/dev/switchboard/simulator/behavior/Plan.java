package dev.switchboard.simulator.behavior;

import java.util.List;

/**
 * The reply the simulator will give, before any dialect renders it.
 *
 * @param reply text or tool calls
 * @param promptTokens the token count of the prompt
 */
public record Plan(Reply reply, int promptTokens) {

  /** Tokens the reply emits: one per text token or argument fragment. */
  public int completionTokens() {
    return reply.tokenCount();
  }

  public int totalTokens() {
    return promptTokens + completionTokens();
  }

  /** Why generation stopped, in dialect-neutral terms. */
  public enum Finish {
    STOP,
    LENGTH,
    TOOL_CALLS
  }

  /** The content of a reply. */
  public sealed interface Reply {
    Finish finish();

    int tokenCount();
  }

  /**
   * A text reply, already split into the tokens that are streamed one per chunk; {@code
   * stopSequence} is the request's stop string that ended it ({@code finish} is then {@code STOP}),
   * null when it ended otherwise.
   */
  public record Text(List<String> tokens, Finish finish, String stopSequence) implements Reply {
    public Text {
      tokens = List.copyOf(tokens);
    }

    /** A reply that no stop string ended. */
    public Text(List<String> tokens, Finish finish) {
      this(tokens, finish, null);
    }

    /** The whole text. */
    public String text() {
      return String.join("", tokens);
    }

    @Override
    public int tokenCount() {
      return tokens.size();
    }
  }

  /** One or more tool calls. */
  public record ToolCalls(List<Call> calls, Finish finish) implements Reply {
    public ToolCalls {
      calls = List.copyOf(calls);
    }

    @Override
    public int tokenCount() {
      int n = 0;
      for (Call call : calls) {
        n += call.fragments().size();
      }
      return n;
    }
  }

  /** One tool call; its arguments JSON text split into the fragments that are streamed. */
  public record Call(String name, List<String> fragments) {
    public Call {
      fragments = List.copyOf(fragments);
    }

    /** The arguments JSON text (incomplete when the reply was cut by the token limit). */
    public String arguments() {
      return String.join("", fragments);
    }
  }
}
