package dev.switchboard.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded {@code *.sse} fixture parses to the same events and comments however the bytes are
 * split, and whatever line endings carry them.
 */
class SseFixturesTest {

  private static final int SPLIT_RUNS = 25;

  static Stream<Path> fixtures() throws IOException, URISyntaxException {
    Path root =
        Path.of(Objects.requireNonNull(SseFixturesTest.class.getResource("/fixtures")).toURI());
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> sse = files.filter(p -> p.toString().endsWith(".sse")).sorted().toList();
      return sse.stream();
    }
  }

  @Test
  void findsAllRecordedStreams() throws Exception {
    assertThat(fixtures().count()).isGreaterThanOrEqualTo(27);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void givesTheSameEventsForAnyByteSplit(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<String> whole = read(bytes, new int[] {bytes.length});
    assertThat(whole).isNotEmpty();

    Random random = new Random(file.getFileName().toString().hashCode());
    for (int run = 0; run < SPLIT_RUNS; run++) {
      int maxPiece = run == 0 ? 1 : 1 + random.nextInt(run < 10 ? 8 : 200);
      assertThat(read(bytes, pieces(random, bytes.length, maxPiece)))
          .as("split run %d (pieces up to %d bytes)", run, maxPiece)
          .isEqualTo(whole);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void givesTheSameEventsForAnyCharSplit(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<String> whole = read(text.getBytes(StandardCharsets.UTF_8), new int[] {Integer.MAX_VALUE});

    Random random = new Random(~file.getFileName().toString().hashCode());
    for (int run = 0; run < 10; run++) {
      List<String> seen = new ArrayList<>();
      SseReader reader = recordingReader(seen);
      int at = 0;
      for (int piece : pieces(random, text.length(), 1 + random.nextInt(50))) {
        reader.feed(text.substring(at, at + piece));
        at += piece;
      }
      reader.finish();
      assertThat(seen).as("char split run %d", run).isEqualTo(whole);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void givesTheSameEventsWithCrlfOrCrLineEndings(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    List<String> lf = read(text.getBytes(StandardCharsets.UTF_8), new int[] {Integer.MAX_VALUE});

    for (String ending : List.of("\r\n", "\r")) {
      byte[] bytes = text.replace("\n", ending).getBytes(StandardCharsets.UTF_8);
      Random random = new Random(ending.length());
      assertThat(read(bytes, pieces(random, bytes.length, 3))).isEqualTo(lf);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void readsEveryDataPayloadAsJsonOrDone(Path file) throws IOException {
    List<SseEvent> events = SseReader.parse(Files.readAllBytes(file));

    assertThat(events).isNotEmpty();
    assertThat(events)
        .allSatisfy(e -> assertThat(e.isDone() || e.data().startsWith("{")).as(e.data()).isTrue());
    if (file.getParent().getFileName().toString().equals("openai")) {
      assertThat(events.getLast().isDone()).isTrue();
    }
  }

  @Test
  void seesTheOpenRouterProcessingComments() throws Exception {
    Path file =
        fixtures()
            .filter(p -> p.endsWith(Path.of("openrouter", "stream-midstream-error.sse")))
            .findFirst()
            .orElseThrow();
    List<String> comments = new ArrayList<>();
    SseReader reader = SseReader.builder().onEvent(e -> {}).onComment(comments::add).build();
    reader.feed(Files.readAllBytes(file));
    reader.finish();

    assertThat(comments).hasSize(17).containsOnly("OPENROUTER PROCESSING");
  }

  @Test
  void readsTheGroqMidStreamErrorEvent() throws Exception {
    Path file =
        fixtures()
            .filter(
                p ->
                    p.endsWith(
                        Path.of("openai-compatible", "groq-stream-midstream-error-event.sse")))
            .findFirst()
            .orElseThrow();
    List<SseEvent> events = SseReader.parse(Files.readAllBytes(file));

    SseEvent last = events.getLast();
    assertThat(last.type()).isEqualTo("error");
    assertThat(last.data()).startsWith("{\"error\":{").contains("tool_use_failed");
    assertThat(events.subList(0, events.size() - 1))
        .allSatisfy(e -> assertThat(e.event()).isNull());
  }

  /** Feeds {@code bytes} in the given piece sizes and records events and comments in order. */
  private static List<String> read(byte[] bytes, int[] pieceSizes) {
    List<String> seen = new ArrayList<>();
    SseReader reader = recordingReader(seen);
    int at = 0;
    for (int size : pieceSizes) {
      int n = Math.min(size, bytes.length - at);
      reader.feed(bytes, at, n);
      at += n;
    }
    reader.finish();
    return seen;
  }

  private static SseReader recordingReader(List<String> seen) {
    return SseReader.builder()
        .onEvent(e -> seen.add("event " + e))
        .onComment(c -> seen.add("comment " + c))
        .build();
  }

  private static int[] pieces(Random random, int total, int maxPiece) {
    List<Integer> sizes = new ArrayList<>();
    int left = total;
    while (left > 0) {
      int n = Math.min(left, 1 + random.nextInt(maxPiece));
      sizes.add(n);
      left -= n;
    }
    return sizes.stream().mapToInt(Integer::intValue).toArray();
  }
}
