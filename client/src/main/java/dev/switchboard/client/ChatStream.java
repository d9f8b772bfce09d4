package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.chat.ChatCompletionChunk;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.client.internal.IdleTimeoutInputStream;
import dev.switchboard.client.internal.IdleTimeoutInputStream.IdleTimeoutException;
import dev.switchboard.client.internal.SseEventSource;
import dev.switchboard.sse.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A streamed chat completion: a closeable iterator of chunks, read from the connection as the
 * caller asks for them (blocking). Comments ({@code : OPENROUTER PROCESSING}) are skipped and
 * {@code [DONE]} ends the iteration.
 *
 * <p>An error the server sends inside the stream (after the first chunk, when the HTTP status is
 * already 200) is raised from {@link #next()} as the typed {@link SwitchboardException} of its
 * {@code code}, with its message and {@link SwitchboardException#midStream()} true; a connection
 * that breaks raises a {@link ConnectionException} the same way.
 *
 * <p>Close it (try-with-resources) to cancel the request: the connection is closed and the server
 * stops generating. Use it from one thread.
 *
 * <pre>{@code
 * try (ChatStream stream = client.chat().stream(request)) {
 *   stream.textDeltas().forEach(System.out::print);
 * }
 * }</pre>
 */
public final class ChatStream implements Iterator<ChatCompletionChunk>, AutoCloseable {

  private final HttpResponse<InputStream> response;
  private final SseEventSource events;
  private final StreamAccumulator accumulator = new StreamAccumulator();
  private ChatCompletionChunk next;
  private SwitchboardException pending;
  private JsonNode debugEcho;
  private boolean done;
  private boolean closed;
  private boolean sawDone;
  private int produced;

  ChatStream(HttpResponse<InputStream> response, Duration idleTimeout) {
    this.response = response;
    this.events = new SseEventSource(IdleTimeoutInputStream.watch(response.body(), idleTimeout));
  }

  @Override
  public boolean hasNext() {
    if (next != null || pending != null) {
      return true;
    }
    if (done) {
      return false;
    }
    advance();
    return next != null || pending != null;
  }

  /**
   * The next chunk.
   *
   * @throws SwitchboardException the stream's in-band error, typed by its code
   * @throws NoSuchElementException after the end
   */
  @Override
  public ChatCompletionChunk next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the stream has ended");
    }
    if (pending != null) {
      SwitchboardException e = pending;
      pending = null;
      close();
      throw e;
    }
    ChatCompletionChunk chunk = next;
    next = null;
    return chunk;
  }

  /**
   * Reads up to the first chunk. An error before it (the server committed the 200 head with a
   * keep-alive, then failed before any output) is thrown from here as a failure before the stream
   * started, so it can be retried; the stream is then closed.
   */
  void awaitFirstChunk() {
    try {
      hasNext();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    if (pending != null && produced == 0) {
      SwitchboardException e = pending;
      pending = null;
      close();
      ErrorInfo before = e.info().withMidStream(false);
      throw switch (e) {
        case RequestTimeoutException t -> new RequestTimeoutException(before, e.getCause());
        case ConnectionException c -> new ConnectionException(before, e.getCause());
        default -> Errors.typed(before, e.getCause());
      };
    }
  }

  private void advance() {
    try {
      while (true) {
        SseEvent event = events.next();
        if (event == null) {
          done = true;
          return;
        }
        if (event.isDone()) {
          sawDone = true;
          done = true;
          return;
        }
        if (event.data().isBlank()) {
          continue;
        }
        JsonNode tree;
        try {
          tree = ApiJson.tree(event.data());
        } catch (IOException e) {
          done = true;
          pending =
              Errors.invalid(
                  "a stream chunk is not JSON: " + Requester.abbreviate(event.data()), e);
          return;
        }
        JsonNode error = tree.get("error");
        if (error != null && error.isObject()) {
          // The error chunk may also carry the usage (OpenRouter does): fold it in first.
          ObjectNode rest = ((ObjectNode) tree).deepCopy();
          rest.remove("error");
          if (rest.has("choices") || rest.has("usage")) {
            accumulator.add(chunk(rest));
          }
          done = true;
          pending = Errors.fromStreamError(error, tree.path("id").asText(generationId()));
          return;
        }
        if ("error".equals(event.event())) {
          done = true;
          pending = Errors.fromStreamError(tree, generationId());
          return;
        }
        ChatCompletionChunk chunk = chunk(tree);
        if (debugEcho == null && chunk.extra().containsKey("debug")) {
          debugEcho = chunk.extra().get("debug").path("echo_upstream_body");
        }
        accumulator.add(chunk);
        next = chunk;
        produced++;
        return;
      }
    } catch (IdleTimeoutException e) {
      done = true;
      pending = new RequestTimeoutException(transportFailure("the stream stalled: ", e), e);
    } catch (IOException e) {
      done = true;
      if (!closed) {
        pending = new ConnectionException(transportFailure("the stream broke: ", e), e);
      }
    }
  }

  /** A transport failure inside the stream: no HTTP status, after the head. */
  private ErrorInfo transportFailure(String what, IOException e) {
    return new ErrorInfo(
        0, what + e.getMessage(), null, Map.of(), null, null, null, null, generationId(), true);
  }

  private static ChatCompletionChunk chunk(JsonNode tree) {
    try {
      return ApiJson.mapper().treeToValue(tree, ChatCompletionChunk.class);
    } catch (IOException | IllegalArgumentException e) {
      throw Errors.invalid("cannot read a stream chunk: " + e.getMessage(), e);
    }
  }

  /** The chunks as a sequential {@link Stream}; closing it closes this. */
  public Stream<ChatCompletionChunk> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(this::close);
  }

  /** The text deltas of the first choice, empty ones skipped. */
  public Stream<String> textDeltas() {
    return stream()
        .flatMap(
            c ->
                c.choices() == null || c.choices().isEmpty()
                    ? Stream.empty()
                    : Stream.ofNullable(c.choices().getFirst().delta())
                        .map(ChatCompletionChunk.Delta::content))
        .filter(s -> s != null && !s.isEmpty());
  }

  /**
   * Reads the rest of the stream and returns what it spelled. In-band errors are thrown as from
   * {@link #next()}.
   */
  public StreamAccumulator accumulate() {
    try {
      while (hasNext()) {
        next();
      }
      return accumulator;
    } finally {
      close();
    }
  }

  /** What the chunks read so far spell. */
  public StreamAccumulator accumulated() {
    return accumulator;
  }

  /** {@code X-Generation-Id}, else the first chunk's id (null before any chunk). */
  public String generationId() {
    return response.headers().firstValue("x-generation-id").orElse(accumulator.id());
  }

  /** The response headers. */
  public Map<String, List<String>> headers() {
    return response.headers().map();
  }

  /** The {@code debug.echo_upstream_body} of the debug chunk, once it has been read. */
  public Optional<JsonNode> debugEcho() {
    return Optional.ofNullable(debugEcho);
  }

  /** How many keep-alive comments were skipped so far. */
  public int comments() {
    return events.comments();
  }

  /** Whether {@code data: [DONE]} was read. */
  public boolean completed() {
    return sawDone;
  }

  /** Cancels the request when it is still running. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    done = true;
    next = null;
    try {
      events.close();
    } catch (IOException e) {
      // closing is best effort: the connection is dropped either way
    }
  }
}
