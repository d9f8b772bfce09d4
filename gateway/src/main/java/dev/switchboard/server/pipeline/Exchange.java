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
  private final java.util.Map<Class<?>, Object> notes = new java.util.HashMap<>();

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

  /** Whether the answer streams; false until the request is decoded. */
  public boolean streamed() {
    return request != null && request.stream();
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

  /** Keeps {@code value} for the later stages, by its type. */
  public <T> void note(Class<T> type, T value) {
    notes.put(type, value);
  }

  /** Whether reasoning goes back to the client ({@code reasoning.exclude} hides it). */
  public boolean includeReasoning() {
    return request == null || request.reasoning() == null || !request.reasoning().exclude();
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
}
