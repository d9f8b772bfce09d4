package dev.switchboard.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A whole upstream body gathered from its chunks: exactly the bytes sent, in order. */
class CollectedTest {

  @Test
  void noChunkIsAnEmptyBody() {
    assertThat(new UpstreamStream.Collected().bytes()).isEmpty();
  }

  @Test
  void oneChunkIsTheBody() {
    UpstreamStream.Collected c = new UpstreamStream.Collected();
    c.add(Buffer.buffer("{\"id\":\"x\"}"));
    assertThat(new String(c.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"x\"}");
  }

  @Test
  void manyChunksOfEverySizeAreJoinedInOrder() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      byte[] whole = new byte[random.nextInt(40_000)];
      random.nextBytes(whole);
      UpstreamStream.Collected c = new UpstreamStream.Collected();
      int at = 0;
      while (at < whole.length) {
        int n = Math.min(whole.length - at, 1 + random.nextInt(round % 2 == 0 ? 64 : 9_000));
        c.add(Buffer.buffer(Arrays.copyOfRange(whole, at, at + n)));
        at += n;
      }
      assertThat(c.bytes()).isEqualTo(whole);
    }
  }
}
