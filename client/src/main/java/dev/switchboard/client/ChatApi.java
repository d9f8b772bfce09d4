package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.chat.ChatCompletion;
import dev.switchboard.api.chat.ChatRequest;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.client.internal.RawResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code POST /chat/completions}. Model aliases are resolved, the client-side fallback models are
 * tried in turn, and each call is retried by the client's {@link RetryPolicy}.
 */
public final class ChatApi {

  private static final String PATH = "/chat/completions";

  private final SwitchboardClient client;

  ChatApi(SwitchboardClient client) {
    this.client = client;
  }

  /** A completion. */
  public ChatResponse create(ChatRequest request) {
    return withFallbacks(request, false, body -> read(client.requester().call("POST", PATH, body)));
  }

  /**
   * A structured output: asks for a strict JSON schema derived from the record {@code type} (unless
   * the request sets a {@code response_format} already) and parses the answer into it.
   */
  public <T> T create(ChatRequest request, Class<T> type) {
    ChatRequest withFormat = request;
    if (request.responseFormat() == null) {
      withFormat = Chat.request(request).responseFormat(type).build();
    }
    return create(withFormat).parse(type);
  }

  /**
   * A stream of chunks. Returns once the first chunk has arrived (keep-alive comments are skipped
   * while waiting): a failure before it, whether an error status or an in-band error that comes
   * first, is thrown here, and is retried and falls back to the client-side fallback models like a
   * completion. After the first chunk, errors are raised from the stream's {@code next()}. Close
   * the stream to cancel the request.
   */
  public ChatStream stream(ChatRequest request) {
    Requester requester = client.requester();
    return withFallbacks(
        request,
        true,
        body ->
            requester.retrying(
                "POST " + PATH,
                () -> {
                  ChatStream stream =
                      new ChatStream(
                          requester.openOnce(PATH, body), client.settings().streamIdleTimeout());
                  stream.awaitFirstChunk();
                  return stream;
                }));
  }

  /** The text answer to {@code prompt}, from the client's default model. */
  public String ask(String prompt) {
    return ask(Prompt.of(prompt));
  }

  /** The text answer of {@code model} to {@code prompt}. */
  public String ask(String model, String prompt) {
    return ask(Prompt.of(prompt).withModel(model));
  }

  /** The text answer of {@code model} to {@code prompt} under a system prompt. */
  public String ask(String model, String system, String prompt) {
    return ask(Prompt.of(prompt).withModel(model).withSystem(system));
  }

  /** The text answer to a {@link Prompt} (model, system prompt, temperature, max tokens). */
  public String ask(Prompt prompt) {
    return create(prompt.toRequest()).text();
  }

  /**
   * Runs {@code call} for the request's model, then for each client-side fallback model while the
   * failure is one another model might not have. The last failure is thrown, the earlier ones
   * attached as suppressed.
   */
  private <T> T withFallbacks(ChatRequest request, boolean stream, Function<byte[], T> call) {
    Settings s = client.settings();
    ObjectNode body = (ObjectNode) ApiJson.toTree(request);
    String model = request.model() != null ? request.model() : s.defaultModel();
    List<String> candidates = new ArrayList<>();
    candidates.add(model == null ? null : s.aliases().resolve(model));
    for (String f : s.fallbackModels()) {
      String resolved = s.aliases().resolve(f);
      if (!candidates.contains(resolved)) {
        candidates.add(resolved);
      }
    }
    JsonNode models = body.get("models");
    if (models != null && models.isArray()) {
      ArrayNode resolved = ApiJson.nodes().arrayNode();
      models.forEach(m -> resolved.add(s.aliases().resolve(m.asText())));
      body.set("models", resolved);
    }
    if (stream) {
      body.put("stream", true);
    } else {
      body.remove("stream");
    }
    List<SwitchboardException> failures = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      String candidate = candidates.get(i);
      if (candidate == null) {
        body.remove("model");
      } else {
        body.put("model", candidate);
      }
      try {
        return call.apply(ApiJson.bytes(body));
      } catch (SwitchboardException e) {
        if (i == candidates.size() - 1 || !fallsBack(e)) {
          failures.forEach(e::addSuppressed);
          throw e;
        }
        failures.add(e);
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /** Failures another model may not have: unavailable, overloaded, rate limited, timed out. */
  static boolean fallsBack(SwitchboardException e) {
    return e instanceof NotFoundException
        || e instanceof RequestTimeoutException
        || e instanceof RateLimitedException
        || e instanceof ProviderException
        || e instanceof NoProviderAvailableException
        || e instanceof ServerException
        || e instanceof ConnectionException;
  }

  private static ChatResponse read(RawResponse r) {
    JsonNode tree = Requester.tree(r);
    JsonNode error = tree.get("error");
    if (error != null && error.isObject() && !tree.has("choices")) {
      // HTTP 200 with an error envelope (OpenRouter does this after output had started).
      throw Errors.fromStreamError(error, r.header("x-generation-id").orElse(null));
    }
    ChatCompletion completion;
    try {
      completion = ApiJson.mapper().treeToValue(tree, ChatCompletion.class);
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw Errors.invalid("cannot read the chat completion: " + e.getMessage(), e);
    }
    if (completion.choices() != null && !completion.choices().isEmpty()) {
      ChatCompletion.Choice first = completion.choices().getFirst();
      if (first.error() != null && first.error().isObject()) {
        // The provider failed after partial output: the choice carries the error.
        throw Errors.fromStreamError(first.error(), completion.id());
      }
    }
    return new ChatResponse(completion, tree, r.headers());
  }
}
