package dev.switchboard.server.pipeline;

import dev.switchboard.core.error.GatewayError;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.server.inbound.InboundDialect;
import dev.switchboard.server.routing.Attempt;
import dev.switchboard.server.routing.AttemptLoop;
import dev.switchboard.server.routing.Candidate;
import dev.switchboard.server.routing.RoutePlan;
import dev.switchboard.server.storage.ApiKey;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One inference request as it moves through the {@link Pipeline}: what came in, what each stage
 * found (the key, the canonical request, the reservation, the plan, the attempts, how it ended, the
 * bill) and the clocks behind the overhead header. Each stage reads what the stages before it set
 * and sets its own part. Confined to the request's event loop; not thread-safe.
 */
public final class Exchange {

  private static final Object NO_ACCESS_LINE = new Object();
  private static final Object ACCESS_LINE_WRITTEN = new Object();
  private static final java.lang.invoke.VarHandle GENERATION_LINE;

  static {
    try {
      GENERATION_LINE =
          java.lang.invoke.MethodHandles.lookup()
              .findVarHandle(Exchange.class, "generationLine", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long startNanos;
  private final long createdEpochSeconds;
  private final String generationId;
  private final String requestId;
  private final InboundDialect dialect;
  private final Function<String, String> headers;
  private final ClientChannel client;
  private final boolean metadataRequested;
  private final String httpReferer;
  private final String appTitle;
  private final String userAgent;

  private byte[] body;
  private long deadlineMs;
  private ApiKey key;
  private String credential;
  private String credentialHash;
  private LlmRequest request;
  private Reservation reservation = Reservation.NONE;
  private RoutePlan plan;
  private AttemptLoop loop;
  private StreamReply streamReply;
  private Ending ending;
  private Bill bill = Bill.NONE;
  private MediaPrep media;
  private GatewayError aborted;
  private Consumer<GatewayError> onAbort;
  private final java.util.Map<Class<?>, Object> pluginState = new java.util.HashMap<>();
  private final List<Fee> fees = new java.util.ArrayList<>();
  private final List<Round> rounds = new java.util.ArrayList<>();
  private int toolCallsRequested;
  private int toolCallsExecuted;
  private int webSearches;
  private int searchResults;
  private boolean serverToolsUsed;
  private boolean replayStream;
  private final java.util.Map<Class<?>, Object> notes = new java.util.HashMap<>();
  private Object observation;
  private String traceId;
  private final java.util.Map<String, String> responseHeaders = new java.util.LinkedHashMap<>();
  private String presetId;
  private String router;
  private String webSearchEngine;
  // The hand-off of the generation's log line to the request's access-log line (see
  // accessLinePending): NO_ACCESS_LINE, then null while the access line waits, a GenerationLine
  // handed to it, or ACCESS_LINE_WRITTEN. Atomic: a stream's settlement and the access line's end
  // handler need not run on the same thread.
  private volatile Object generationLine = NO_ACCESS_LINE;

  Exchange(
      long startNanos,
      long createdEpochSeconds,
      InboundDialect dialect,
      Function<String, String> headers,
      ClientChannel client) {
    this.startNanos = startNanos;
    this.createdEpochSeconds = createdEpochSeconds;
    this.generationId = Ids.generationId(createdEpochSeconds);
    this.requestId = Ids.requestId(createdEpochSeconds);
    this.dialect = dialect;
    this.headers = headers;
    this.client = client;
    String meta = headers.apply("x-openrouter-metadata");
    if (meta == null) {
      meta = headers.apply("x-openrouter-experimental-metadata");
    }
    this.metadataRequested = "enabled".equalsIgnoreCase(meta);
    this.httpReferer = headers.apply("http-referer");
    String title = headers.apply("x-openrouter-title");
    this.appTitle = title != null ? title : headers.apply("x-title");
    this.userAgent = headers.apply("user-agent");
  }

  // ---- what came in ------------------------------------------------------------------------

  public String generationId() {
    return generationId;
  }

  public String requestId() {
    return requestId;
  }

  public long createdEpochSeconds() {
    return createdEpochSeconds;
  }

  public InboundDialect dialect() {
    return dialect;
  }

  /** A request header by lower-case name, or null. */
  public String header(String name) {
    return headers.apply(name);
  }

  ClientChannel client() {
    return client;
  }

  public boolean metadataRequested() {
    return metadataRequested;
  }

  public String httpReferer() {
    return httpReferer;
  }

  public String appTitle() {
    return appTitle;
  }

  public String userAgent() {
    return userAgent;
  }

  // ---- what the stages found ---------------------------------------------------------------

  byte[] body() {
    return body;
  }

  void body(byte[] body) {
    this.body = body;
  }

  /** How long the request may wait for its answer across its attempts (stage 2). */
  public long deadlineMs() {
    return deadlineMs;
  }

  void deadlineMs(long deadlineMs) {
    this.deadlineMs = deadlineMs;
  }

  /** The authenticated key (stage 1). */
  public ApiKey key() {
    return key;
  }

  void key(ApiKey key) {
    this.key = key;
  }

  /** The credential stage 1 hashed, and its hash (the access log reuses it). */
  void credential(String plaintext, String hash) {
    this.credential = plaintext;
    this.credentialHash = hash;
  }

  /**
   * The SHA-256 hex of {@code plaintext} when stage 1 hashed that very credential (the key looked
   * up, found or not), else null: the access log's line then needs no second hash.
   */
  public String credentialHash(String plaintext) {
    return plaintext != null && plaintext.equals(credential) ? credentialHash : null;
  }

  /** The canonical request (stage 2; stage 4 may replace it). */
  public LlmRequest request() {
    return request;
  }

  void request(LlmRequest request) {
    this.request = request;
  }

  /**
   * The session the request belongs to: the body's {@code session_id}, else the {@code
   * X-Session-Id} header (reference §1.4), else null. Session budgets and the record use the same.
   */
  public String sessionId() {
    String body = request == null ? null : request.sessionId();
    if (body != null && !body.isEmpty()) {
      return body;
    }
    String header = headers.apply("x-session-id");
    return header == null || header.isEmpty() ? null : header;
  }

  /** Whether the answer streams to the client; false until the request is decoded. */
  public boolean streamed() {
    return replayStream || (request != null && request.stream());
  }

  /**
   * The client asked for a stream, but the model rounds run whole (the server-tool loop must see
   * each round's complete answer before it knows whether it is the last): the final answer is sent
   * as a stream once it is known. Set by a before-model plugin, which also clears the request's
   * {@code stream}.
   */
  public void replayAsStream() {
    replayStream = true;
  }

  boolean replaysStream() {
    return replayStream;
  }

  /** What admission holds (stage 3); {@link Reservation#NONE} until then. */
  public Reservation reservation() {
    return reservation;
  }

  void reservation(Reservation reservation) {
    this.reservation = reservation;
  }

  /** The candidates (stage 5), or null before planning. */
  public RoutePlan plan() {
    return plan;
  }

  void plan(RoutePlan plan) {
    this.plan = plan;
  }

  public List<Candidate> candidates() {
    return plan == null ? List.of() : plan.candidates();
  }

  /** The attempt loop (stage 6), or null when the request never got that far. */
  AttemptLoop loop() {
    return loop;
  }

  void loop(AttemptLoop loop) {
    this.loop = loop;
  }

  /**
   * Whether a generation exists: the request reached its attempts, so a generation record is
   * written for it whatever happens next.
   */
  public boolean generationStarted() {
    return loop != null;
  }

  /** Every attempt so far, in the order they started. */
  public List<Attempt> attempts() {
    return loop == null ? List.of() : loop.attempts();
  }

  StreamReply streamReply() {
    return streamReply;
  }

  void streamReply(StreamReply reply) {
    this.streamReply = reply;
  }

  /** How the request ended (stage 6, or the stage that refused it). */
  public Ending ending() {
    return ending;
  }

  void ending(Ending ending) {
    this.ending = ending;
  }

  /** What it is billed (stage 8). */
  public Bill bill() {
    return bill;
  }

  void bill(Bill bill) {
    this.bill = bill;
  }

  /** The request's media, fetched once for all its attempts (stage 6), or null. */
  void media(MediaPrep media) {
    this.media = media;
  }

  /** The request is over: fetched media go back to the process's budget. */
  void releaseMedia() {
    if (media != null) {
      media.release();
    }
  }

  /**
   * Ends the request early with {@code error} (a shutdown whose drain time is over): the attempts
   * stop when they run, or are never started when they do not yet.
   */
  void abort(GatewayError error) {
    if (ending != null || aborted != null) {
      return;
    }
    aborted = error;
    if (onAbort != null) {
      onAbort.accept(error);
    }
  }

  /** The error the request was aborted with, or null. */
  GatewayError aborted() {
    return aborted;
  }

  /** How the running attempts end the request on {@link #abort} (stage 6). */
  void onAbort(Consumer<GatewayError> onAbort) {
    this.onAbort = onAbort;
  }

  /**
   * What a plugin keeps about this request between its stages (the plugins it switched on, a cache
   * key, the preset applied), by the type of the value; null when none was kept.
   */
  public <T> T note(Class<T> type) {
    return type.cast(notes.get(type));
  }

  /** The request body as it came, until planning (the response cache keys on it); null after. */
  public byte[] requestBody() {
    return body;
  }

  /** Adds a header (lower-case name) to the answer, whole, streamed or error. */
  public void responseHeader(String name, String value) {
    responseHeaders.put(name, value);
  }

  /** The headers the stages added to the answer. */
  java.util.Map<String, String> responseHeaders() {
    return responseHeaders;
  }

  /** The preset the request applied ({@code <slug>@<version>}), or null; for the record. */
  public String presetId() {
    return presetId;
  }

  public void presetId(String presetId) {
    this.presetId = presetId;
  }

  /** The router that chose the model ({@code openrouter/auto}), or null; for the record. */
  /** The web search engine the request used ({@code exa}, {@code native}), or null. */
  public String webSearchEngine() {
    return webSearchEngine;
  }

  public void webSearchEngine(String engine) {
    this.webSearchEngine = engine;
  }

  public String router() {
    return router;
  }

  public void router(String router) {
    this.router = router;
  }

  /** Keeps {@code value} for the later stages, by its type. */
  public <T> void note(Class<T> type, T value) {
    notes.put(type, value);
  }

  /** Whether reasoning goes back to the client ({@code reasoning.exclude} hides it). */
  public boolean includeReasoning() {
    return request == null || request.reasoning() == null || !request.reasoning().exclude();
  }

  // ---- plugins and server tools ----------------------------------------------------------

  /**
   * A charge beside the model's tokens (web search results, a fetched page, OCR), in USD; added to
   * the request's cost by the settle stage, even when the model's tokens are not charged.
   */
  public record Fee(String kind, java.math.BigDecimal usd) {}

  /**
   * One finished round of the server-tool loop: the model's answer that called server tools, its
   * attempts, the serving candidate, what it was metered and which tools it called.
   */
  public record Round(
      List<Attempt> attempts,
      Candidate served,
      dev.switchboard.core.model.Usage usage,
      dev.switchboard.server.metering.Cost cost,
      List<String> toolCalls) {}

  /** A plugin's state for this request, created on first use. */
  public <T> T pluginState(Class<T> type) {
    return type.cast(pluginState.get(type));
  }

  /** A plugin's state for this request, created by {@code create} on first use. */
  public <T> T pluginState(Class<T> type, java.util.function.Supplier<T> create) {
    return type.cast(pluginState.computeIfAbsent(type, t -> create.get()));
  }

  public void addFee(String kind, java.math.BigDecimal usd) {
    fees.add(new Fee(kind, usd));
  }

  public List<Fee> fees() {
    return List.copyOf(fees);
  }

  /** Counts for {@code usage.server_tool_use_details}. */
  public void countServerTools(int requested, int executed, int searches) {
    serverToolsUsed = true;
    toolCallsRequested += requested;
    toolCallsExecuted += executed;
    webSearches += searches;
  }

  /** Results a web search gave this request (the record's {@code num_search_results}). */
  public void countSearchResults(int results) {
    searchResults += results;
  }

  public int searchResults() {
    return searchResults;
  }

  /** What server tools did, or null when none ran. */
  public dev.switchboard.core.model.Usage.ServerToolUse serverToolUse() {
    return serverToolsUsed
        ? new dev.switchboard.core.model.Usage.ServerToolUse(
            toolCallsRequested, toolCallsExecuted, webSearches)
        : null;
  }

  /** The rounds of the server-tool loop finished before the current one. */
  public List<Round> rounds() {
    return List.copyOf(rounds);
  }

  void addRound(Round round) {
    rounds.add(round);
  }

  // ---- clocks ------------------------------------------------------------------------------

  /** The gateway's own time so far, in milliseconds with one decimal, upstream time excluded. */
  public String overheadMs() {
    return overheadMs(0);
  }

  /** The same, with {@code inFlightUpstreamNanos} of an attempt still running also excluded. */
  public String overheadMs(long inFlightUpstreamNanos) {
    long upstream = loop == null ? 0 : loop.upstreamNanos();
    long own = Math.max(0, System.nanoTime() - startNanos - upstream - inFlightUpstreamNanos);
    long tenths = own / 100_000;
    return (tenths / 10) + "." + (tenths % 10);
  }

  public long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  // ---- observation (metrics and traces) ------------------------------------------------------

  /** When the request arrived ({@code System.nanoTime()}). */
  public long startNanos() {
    return startNanos;
  }

  /**
   * When the first bytes of the serving attempt's body arrived ({@code System.nanoTime()}), or 0
   * when no attempt served output.
   */
  public long firstOutputNanos() {
    Production p =
        switch (ending) {
          case Ending.Answered a -> a.production();
          case Ending.Failed f -> f.served() == null ? null : f.production();
          case Ending.ClientGone g -> g.served() == null ? null : g.production();
          case null, default -> null;
        };
    return p == null ? 0 : p.firstBytesNanos();
  }

  /** Whether a streamed answer was started for the client (its stream reply exists). */
  public boolean streamOpened() {
    return streamReply != null;
  }

  /** What the {@link Observer} keeps for this request (a span), or null. */
  public Object observation() {
    return observation;
  }

  public void observation(Object observation) {
    this.observation = observation;
  }

  /** The trace this request belongs to (32 hex digits) when tracing is on, else null. */
  public String traceId() {
    return traceId;
  }

  public void traceId(String traceId) {
    this.traceId = traceId;
  }

  // ---- the log ----------------------------------------------------------------------------

  /**
   * Says that this request has an access-log line to come, written when its response ends: from now
   * on its generation's log fields ride on that line ({@link #handToAccessLine}) unless it was
   * written first. Called once, before the pipeline runs.
   */
  public void accessLinePending() {
    GENERATION_LINE.compareAndSet(this, NO_ACCESS_LINE, null);
  }

  /**
   * Hands the generation's log fields to the access-log line; false when there is no such line to
   * come (it was written already, the request has none, or it carries another generation's fields),
   * and the caller writes them as a line of their own.
   */
  boolean handToAccessLine(GenerationLine line) {
    return GENERATION_LINE.compareAndSet(this, null, line);
  }

  /**
   * Called by the access-log line as it is written: the generation's fields handed to it, or null;
   * after this call the generation's line is written on its own.
   */
  public GenerationLine accessLineWritten() {
    Object handed = GENERATION_LINE.getAndSet(this, ACCESS_LINE_WRITTEN);
    return handed instanceof GenerationLine g ? g : null;
  }
}
