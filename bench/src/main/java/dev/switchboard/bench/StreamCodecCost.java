package dev.switchboard.bench;

import dev.switchboard.core.model.StreamEvent;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.provider.StreamDecoder;
import dev.switchboard.core.provider.Target;
import dev.switchboard.provider.openai.OpenAiAdapter;
import dev.switchboard.provider.openai.OpenAiProfiles;
import dev.switchboard.server.inbound.InboundDialect;
import dev.switchboard.server.inbound.OpenAiChat;
import dev.switchboard.server.inbound.Stamp;
import dev.switchboard.server.metering.Cost;
import dev.switchboard.sse.SseReader;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The CPU time and the bytes allocated per stream of the gateway's streaming codec alone, in one
 * thread, no sockets: a recorded OpenAI-dialect stream (default {@code
 * bench/upstream/chat-stream.sse}, the 51-chunk stream nginx serves) through the SSE reader, the
 * OpenAI stream decoder and the chat completions stream encoder, as {@code EventBody} and {@code
 * StreamReply} run them per stream. It uses only types every build has, so the same class measures
 * two builds:
 *
 * <pre>
 *   java -cp bench/target/classes:OLD-gateway-all.jar dev.switchboard.bench.StreamCodecCost
 *   java -cp bench/target/classes:NEW-gateway-all.jar dev.switchboard.bench.StreamCodecCost
 * </pre>
 *
 * Arguments: [stream file] [seconds per round, default 5] [rounds, default 5]. Prints the output's
 * SHA-256 (two builds that write the same bytes print the same), per round the CPU microseconds and
 * kilobytes allocated per stream, then the median round.
 */
public final class StreamCodecCost {

  private StreamCodecCost() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args.length > 0 ? args[0] : "bench/upstream/chat-stream.sse");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    byte[] body = Files.readAllBytes(file);
    Target target =
        new Target(
            "bench",
            "Bench",
            "http://127.0.0.1:1/v1",
            "gpt-4o-mini",
            "k",
            OpenAiProfiles.profile("openai"),
            null);
    OpenAiAdapter adapter = new OpenAiAdapter();
    Sink sink = new Sink();
    stream(adapter, target, body, sink);
    byte[] first = sink.toByteArray();
    System.out.printf(
        "stream: %s, %d bytes in, %d bytes out, sha256 of the output %s%n",
        file,
        body.length,
        first.length,
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(first)));
    CpuRounds.measure(
        "stream",
        "streams",
        seconds,
        rounds,
        () -> {
          for (int i = 0; i < 100; i++) {
            stream(adapter, target, body, sink);
            if (sink.size() != first.length) {
              throw new IllegalStateException("a stream wrote other bytes");
            }
          }
          return 100;
        });
  }

  /** The client's bytes of one stream; reused, so that the harness allocates nothing per stream. */
  private static final class Sink extends ByteArrayOutputStream implements Consumer<byte[]> {
    Sink() {
      super(32_768);
    }

    @Override
    public void accept(byte[] bytes) {
      writeBytes(bytes);
    }
  }

  /** One stream: bytes in as one read, the client's bytes out into {@code sink}. */
  private static void stream(OpenAiAdapter adapter, Target target, byte[] body, Sink sink) {
    sink.reset();
    StreamDecoder decoder = adapter.newStreamDecoder(target);
    InboundDialect.StreamEncoder encoder =
        OpenAiChat.INSTANCE.newStreamEncoder(
            new Stamp(
                "gen-1764633600-AbCdEfGhIjKlMnOpQrSt",
                "bench/nginx-stream",
                "Bench",
                1_764_633_600L,
                true));
    Usage[] usage = new Usage[1];
    Consumer<StreamEvent> onEvent =
        e -> {
          if (e instanceof StreamEvent.UsageReported u) {
            usage[0] = u.usage();
          }
          encoder.event(e, sink);
        };
    SseReader reader = SseReader.create(ev -> decoder.onEvent(ev).forEach(onEvent));
    reader.feed(body);
    reader.finish();
    decoder.onEnd().forEach(onEvent);
    encoder.finish(
        usage[0] == null ? Usage.ZERO : usage[0],
        new Cost(
            new BigDecimal("0.00000375"), new BigDecimal("0.00006"), new BigDecimal("0.00006375")),
        null,
        sink);
  }
}
