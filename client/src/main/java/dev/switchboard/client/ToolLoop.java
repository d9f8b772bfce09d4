package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.chat.ChatMessage;
import dev.switchboard.api.chat.ChatRequest;
import dev.switchboard.api.chat.ToolCall;
import dev.switchboard.api.json.ApiJson;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs the call-execute-answer loop: the model is called with the registered tools; when it asks
 * for tool calls, the Java handlers run (in parallel, on virtual threads, when it asks for several
 * at once), their results go back as {@code tool} messages, and the model is called again, until it
 * answers without tool calls or {@link Builder#maxRounds(int)} model calls have been made.
 *
 * <p>The request's {@code tool_choice} applies to the first round only; later rounds send {@code
 * "auto"}, because a model forced to call a tool ({@code "required"} or a named function) would
 * call one again after seeing the results, round after round. {@link
 * Builder#toolChoice(IntFunction)} chooses per round instead.
 *
 * <p>A tool that throws (or gets arguments that are not JSON, or is not registered) is reported to
 * the model as the tool's result, {@code {"error":"..."}}, so it can recover; with {@link
 * Builder#failOnToolError(boolean) failOnToolError(true)} the loop stops with a {@link
 * ToolExecutionException} instead. Reaching the round limit throws {@link
 * MaxRoundsExceededException}. Both carry the transcript so far.
 *
 * <pre>{@code
 * ToolLoopResult result = client.toolLoop()
 *     .tool(ToolFunction.of("get_weather", "Weather in a city", Weather.class, w -> "sunny"))
 *     .maxRounds(5)
 *     .build()
 *     .run(Chat.request("smart").user("Weather in Paris?").build());
 * }</pre>
 *
 * Immutable and thread-safe; each {@code run} is independent.
 */
public final class ToolLoop {

  private final SwitchboardClient client;
  private final Map<String, ToolFunction> tools;
  private final int maxRounds;
  private final boolean parallel;
  private final boolean failOnToolError;
  private final IntFunction<ToolChoice> toolChoice;

  private ToolLoop(Builder b) {
    this.client = b.client;
    // in registration order: the model sees the tools as the caller listed them
    this.tools = Collections.unmodifiableMap(new LinkedHashMap<>(b.tools));
    this.maxRounds = b.maxRounds;
    this.parallel = b.parallel;
    this.failOnToolError = b.failOnToolError;
    this.toolChoice = b.toolChoice;
  }

  static Builder builder(SwitchboardClient client) {
    return new Builder(client);
  }

  /** Runs the loop for a prompt to {@code model}. */
  public ToolLoopResult run(String model, String prompt) {
    return run(Chat.request(model).user(prompt).build());
  }

  /**
   * Runs the loop. The request gives the model, the messages and any other field; the registered
   * tools are added to its {@code tools}.
   */
  public ToolLoopResult run(ChatRequest request) {
    ObjectNode base = (ObjectNode) ApiJson.toTree(request);
    ArrayNode toolArray = base.withArrayProperty("tools");
    tools.values().forEach(t -> toolArray.add(ApiJson.toTree(t.toTool())));
    List<ChatMessage> transcript = new ArrayList<>();
    if (request.messages() != null) {
      transcript.addAll(request.messages());
    }
    List<ToolInvocation> invocations = new ArrayList<>();
    List<ChatResponse> responses = new ArrayList<>();
    for (int round = 1; ; round++) {
      ObjectNode body = base.deepCopy();
      body.set("messages", ApiJson.toTree(transcript));
      ToolChoice choice = toolChoice.apply(round);
      if (choice != null) {
        body.set("tool_choice", choice.json());
      } else if (round > 1) {
        body.set("tool_choice", ToolChoice.auto().json());
      }
      ChatResponse response = client.chat().create(ApiJson.convert(body, ChatRequest.class));
      responses.add(response);
      List<ToolCall> calls = withIds(response.toolCalls(), round);
      ChatMessage assistant = response.toMessage();
      if (!calls.isEmpty()) {
        assistant = withCalls(assistant, calls);
      }
      transcript.add(assistant);
      if (calls.isEmpty()) {
        return new ToolLoopResult(response.text(), response, transcript, invocations, responses);
      }
      if (round >= maxRounds) {
        throw new MaxRoundsExceededException(
            "the model still asked for tools ("
                + String.join(", ", calls.stream().map(c -> c.function().name()).toList())
                + ") after "
                + maxRounds
                + " rounds; raise maxRounds or check the tools' results",
            maxRounds,
            transcript,
            invocations);
      }
      List<ToolInvocation> done = execute(calls, round, transcript, invocations);
      for (ToolInvocation inv : done) {
        invocations.add(inv);
        transcript.add(Chat.toolResult(inv.callId(), inv.result()));
      }
    }
  }

  private List<ToolInvocation> execute(
      List<ToolCall> calls,
      int round,
      List<ChatMessage> transcript,
      List<ToolInvocation> invocations) {
    List<Outcome> outcomes = new ArrayList<>();
    if (parallel && calls.size() > 1) {
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<Outcome>> futures = new ArrayList<>();
        for (ToolCall c : calls) {
          futures.add(pool.submit(() -> invoke(c, round)));
        }
        for (Future<Outcome> f : futures) {
          outcomes.add(f.get());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ToolLoopException("interrupted while tools ran", transcript, invocations, e);
      } catch (ExecutionException e) {
        throw new ToolLoopException("a tool could not run", transcript, invocations, e.getCause());
      }
    } else {
      for (ToolCall c : calls) {
        outcomes.add(invoke(c, round));
      }
    }
    List<ToolInvocation> out = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (o.error() != null && failOnToolError) {
        List<ToolInvocation> soFar = new ArrayList<>(invocations);
        soFar.addAll(out);
        soFar.add(o.invocation());
        throw new ToolExecutionException(
            "tool " + o.invocation().name() + " failed: " + o.error().getMessage(),
            o.invocation().name(),
            transcript,
            soFar,
            o.error());
      }
      out.add(o.invocation());
    }
    return out;
  }

  private record Outcome(ToolInvocation invocation, Throwable error) {}

  private Outcome invoke(ToolCall call, int round) {
    String name = call.function() == null ? null : call.function().name();
    String arguments = call.function() == null ? null : call.function().arguments();
    long start = System.nanoTime();
    Throwable error;
    ToolFunction tool = name == null ? null : tools.get(name);
    if (tool == null) {
      error =
          new IllegalArgumentException(
              "unknown tool '" + name + "'; available: " + String.join(", ", tools.keySet()));
    } else {
      try {
        Object result = tool.handler().call(parse(arguments));
        return new Outcome(
            new ToolInvocation(
                round, call.id(), name, arguments, render(result), false, since(start)),
            null);
      } catch (Exception e) {
        error = e;
      }
    }
    String report =
        ApiJson.string(
            Map.of(
                "error",
                error.getClass().getSimpleName()
                    + ": "
                    + (error.getMessage() == null ? "(no message)" : error.getMessage())));
    return new Outcome(
        new ToolInvocation(round, call.id(), name, arguments, report, true, since(start)), error);
  }

  /**
   * The arguments as JSON. Only a syntax error is reported as such here: JSON that does not fit the
   * tool's record is the handler's to report (see {@link ToolFunction#of(String, String, Class,
   * ToolFunction.Handler)}).
   */
  private static JsonNode parse(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return ApiJson.object();
    }
    try {
      return ApiJson.tree(arguments);
    } catch (IOException e) {
      throw new IllegalArgumentException("arguments are not valid JSON: " + e.getMessage(), e);
    }
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static String render(Object result) {
    if (result == null) {
      return "null";
    }
    if (result instanceof String s) {
      return s;
    }
    if (result instanceof JsonNode n) {
      return n.isTextual() ? n.textValue() : n.toString();
    }
    return ApiJson.string(result);
  }

  /** Gives calls without an id one, so results can be matched to them. */
  private static List<ToolCall> withIds(List<ToolCall> calls, int round) {
    List<ToolCall> out = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      ToolCall c = ChatResponse.complete(calls.get(i));
      if (c.id() == null || c.id().isBlank()) {
        c = new ToolCall(null, "call_" + round + "_" + i, c.type(), c.function());
      }
      out.add(c);
    }
    return out;
  }

  private static ChatMessage withCalls(ChatMessage m, List<ToolCall> calls) {
    return new ChatMessage(
        m.role(),
        m.content(),
        m.name(),
        calls,
        m.toolCallId(),
        m.reasoning(),
        m.reasoningContent(),
        m.reasoningDetails(),
        m.refusal(),
        m.extra());
  }

  /** Builds a {@link ToolLoop}. Not thread-safe. */
  public static final class Builder {
    private final SwitchboardClient client;
    private final Map<String, ToolFunction> tools = new LinkedHashMap<>();
    private int maxRounds = 10;
    private boolean parallel = true;
    private boolean failOnToolError;
    private IntFunction<ToolChoice> toolChoice = round -> null;

    private Builder(SwitchboardClient client) {
      this.client = client;
    }

    /** Registers tools; a name may be registered once. */
    public Builder tool(ToolFunction... functions) {
      for (ToolFunction f : functions) {
        Checks.requireArgument(
            !tools.containsKey(f.name()), "tool %s is registered twice", f.name());
        tools.put(f.name(), f);
      }
      return this;
    }

    /**
     * The {@code tool_choice} of each round: the function gets the round number (1 for the first
     * model call) and returns the choice, or null for the default, which is the request's own
     * choice in round 1 and {@code "auto"} after it.
     *
     * <pre>{@code
     * .toolChoice(round -> round == 1 ? ToolChoice.function("search") : null)
     * }</pre>
     */
    public Builder toolChoice(IntFunction<ToolChoice> byRound) {
      Checks.requireArgument(byRound != null, "toolChoice needs a function of the round");
      this.toolChoice = byRound;
      return this;
    }

    /** The most model calls, 10 by default. */
    public Builder maxRounds(int maxRounds) {
      Checks.requireArgument(maxRounds >= 1, "maxRounds must be at least 1, was %s", maxRounds);
      this.maxRounds = maxRounds;
      return this;
    }

    /** Whether several tool calls of one turn run at the same time (true by default). */
    public Builder parallel(boolean parallel) {
      this.parallel = parallel;
      return this;
    }

    /**
     * With true, a failing tool stops the loop with {@link ToolExecutionException}; with false (the
     * default), the error goes back to the model as the tool's result.
     */
    public Builder failOnToolError(boolean fail) {
      this.failOnToolError = fail;
      return this;
    }

    public ToolLoop build() {
      Checks.requireState(!tools.isEmpty(), "a tool loop needs at least one tool");
      return new ToolLoop(this);
    }
  }
}
