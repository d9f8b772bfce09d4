package dev.switchboard.bench;

import dev.switchboard.core.model.Directives;
import dev.switchboard.core.model.Embedding;
import dev.switchboard.core.model.EmbeddingRequest;
import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.core.model.ProviderPreferences;
import dev.switchboard.core.model.Usage;
import dev.switchboard.core.provider.Embeddings;
import dev.switchboard.core.provider.EmbeddingsReader;
import dev.switchboard.core.provider.Target;
import dev.switchboard.provider.gemini.GeminiAdapter;
import dev.switchboard.provider.gemini.GeminiProfiles;
import dev.switchboard.provider.openai.OpenAiAdapter;
import dev.switchboard.provider.openai.OpenAiProfiles;
import dev.switchboard.server.inbound.EmbeddingsApi;
import dev.switchboard.server.inbound.InboundDialect;
import dev.switchboard.server.inbound.Stamp;
import dev.switchboard.server.metering.Cost;
import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The CPU time and the bytes allocated per batch of the gateway's embeddings codec alone, in one
 * thread, no sockets: a recorded upstream answer (an OpenAI-shaped or a Gemini {@code
 * batchEmbedContents} body, as {@code bench/embeddings.sh} saves the simulator's) cut into chunks
 * of the size Netty reads (8 KB), through the adapter's {@link EmbeddingsReader} and the {@code
 * /embeddings} vector encoder, as {@code VectorBody} runs them per request. The client's bytes are
 * collected in a reused buffer (the socket writes are not in it). The same class measures two
 * builds:
 *
 * <pre>
 *   java -cp bench/target/classes:OLD-gateway-all.jar dev.switchboard.bench.EmbeddingsCodecCost ANSWER
 *   java -cp bench/target/classes:NEW-gateway-all.jar dev.switchboard.bench.EmbeddingsCodecCost ANSWER
 * </pre>
 *
 * Arguments: ANSWER [openai|gemini, default openai] [float|base64, default float] [seconds per
 * round, default 5] [rounds, default 5] [chunk bytes, default 8192]. The number of inputs is the
 * answer's vectors (100 for the bench's batches). Prints the output's SHA-256 (two builds that
 * write the same bytes print the same), per round the CPU microseconds and kilobytes allocated per
 * batch, then the median round.
 */
public final class EmbeddingsCodecCost {

  /**
   * The encoder's {@code vector(int, Embedding, ByteArrayOutputStream)}, which writes into the
   * gateway's buffer; in a build from before it, {@code vector(int, Embedding)} (a vector as an
   * array of its own), then appended: the same class measures either build.
   */
  private static final MethodHandle WRITE_VECTOR = writeVector();

  private EmbeddingsCodecCost() {}

  private static MethodHandle writeVector() {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    Class<?> encoder = InboundDialect.VectorEncoder.class;
    try {
      try {
        return lookup.findVirtual(
            encoder,
            "vector",
            MethodType.methodType(
                void.class, int.class, Embedding.class, ByteArrayOutputStream.class));
      } catch (NoSuchMethodException before) {
        MethodHandle array =
            lookup.findVirtual(
                encoder, "vector", MethodType.methodType(byte[].class, int.class, Embedding.class));
        MethodHandle append =
            lookup.findStatic(
                EmbeddingsCodecCost.class,
                "append",
                MethodType.methodType(void.class, byte[].class, ByteArrayOutputStream.class));
        return MethodHandles.collectArguments(append, 0, array);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this build's vector encoder has no vector method", e);
    }
  }

  private static void append(byte[] bytes, ByteArrayOutputStream out) {
    out.writeBytes(bytes);
  }

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    boolean gemini = args.length > 1 && args[1].equals("gemini");
    boolean base64 = args.length > 2 && args[2].equals("base64");
    double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 5;
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    int chunk = args.length > 5 ? Integer.parseInt(args[5]) : 8192;
    byte[] body = Files.readAllBytes(file);
    List<byte[]> chunks = new ArrayList<>();
    for (int at = 0; at < body.length; at += chunk) {
      chunks.add(Arrays.copyOfRange(body, at, Math.min(body.length, at + chunk)));
    }
    int inputs = countVectors(body, gemini);
    Embeddings adapter = gemini ? new GeminiAdapter() : new OpenAiAdapter();
    Target target =
        gemini
            ? new Target(
                "bench", "Bench", null, "gemini-embedding-001", "k", GeminiProfiles.gemini(), null)
            : new Target(
                "bench",
                "Bench",
                "http://127.0.0.1:1/v1",
                "text-embedding-3-small",
                "k",
                OpenAiProfiles.profile("openai"),
                null);
    LlmRequest request = request(inputs, base64);
    ByteArrayOutputStream sink = new ByteArrayOutputStream(body.length * 2);
    batch(adapter, target, request, chunks, sink);
    byte[] first = sink.toByteArray();
    System.out.printf(
        "answer: %s, %d vectors, %d bytes in %d chunks, %d bytes out, sha256 of the output %s%n",
        file,
        inputs,
        body.length,
        chunks.size(),
        first.length,
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(first)));
    CpuRounds.measure(
        "batch",
        "batches",
        seconds,
        rounds,
        () -> {
          batch(adapter, target, request, chunks, sink);
          if (sink.size() != first.length) {
            throw new IllegalStateException("a batch wrote other bytes");
          }
          return 1;
        });
  }

  /** One batch: the chunks in, the client's bytes out into {@code sink}. */
  private static void batch(
      Embeddings adapter,
      Target target,
      LlmRequest request,
      List<byte[]> chunks,
      ByteArrayOutputStream sink) {
    sink.reset();
    InboundDialect.VectorEncoder encoder =
        EmbeddingsApi.INSTANCE.newVectorEncoder(
            new Stamp(
                "gen-1764633600-AbCdEfGhIjKlMnOpQrSt",
                "bench/embed",
                "Bench",
                1_764_633_600L,
                false,
                request));
    sink.writeBytes(encoder.head());
    EmbeddingsReader reader =
        adapter.embeddingsReader(
            request,
            target,
            (index, v) -> {
              try {
                WRITE_VECTOR.invoke(encoder, index, v, sink);
              } catch (Throwable e) {
                throw new IllegalStateException(e);
              }
            });
    for (byte[] c : chunks) {
      reader.feed(c);
    }
    var end = reader.end();
    Usage usage = end.usage() == null ? Usage.ZERO : end.usage();
    sink.writeBytes(
        encoder.tail(
            usage,
            new Cost(new BigDecimal("0.000056"), BigDecimal.ZERO, new BigDecimal("0.000056")),
            null));
  }

  private static LlmRequest request(int inputs, boolean base64) {
    List<EmbeddingRequest.Input> in =
        IntStream.range(0, inputs)
            .<EmbeddingRequest.Input>mapToObj(i -> new EmbeddingRequest.Input.Text("text " + i))
            .toList();
    return new LlmRequest(
        "bench/embed",
        List.of(),
        List.of(),
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        null,
        null,
        null,
        ProviderPreferences.NONE,
        null,
        null,
        Directives.NONE,
        new EmbeddingRequest(in, null, base64, null));
  }

  /** The vectors in the answer: the openings of its vector fields. */
  private static int countVectors(byte[] body, boolean gemini) {
    byte[] key = (gemini ? "\"values\":" : "\"embedding\":").getBytes();
    int n = 0;
    outer:
    for (int i = 0; i + key.length <= body.length; i++) {
      for (int k = 0; k < key.length; k++) {
        if (body[i + k] != key[k]) {
          continue outer;
        }
      }
      n++;
    }
    return n;
  }
}
