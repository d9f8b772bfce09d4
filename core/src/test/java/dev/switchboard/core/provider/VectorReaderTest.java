package dev.switchboard.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.api.json.ApiJson;
import dev.switchboard.core.model.Embedding;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VectorReaderTest {

  /** Reads the array that is the value of the first field named "v" in {@code json}. */
  private static Embedding read(String json, boolean values) throws Exception {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    try (JsonParser p = ApiJson.mapper().createParser(body)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.FIELD_NAME && p.currentName().equals("v")) {
          p.nextToken();
          Embedding e = VectorReader.read(p, body, values);
          assertThat(p.currentToken()).isEqualTo(JsonToken.END_ARRAY);
          return e;
        }
      }
    }
    throw new AssertionError("no field v");
  }

  private static String json(Embedding e) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    e.writeJson(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theArrayIsKeptAsTheUpstreamWroteItWithItsCount() throws Exception {
    Embedding e = read("{\"ü\":\"é\", \"v\": [0.1, -2.5e-3 ,1,\n 0.30000001] , \"w\": 2}", false);

    assertThat(e.hasJson()).isTrue();
    assertThat(e.dimensions()).isEqualTo(4);
    assertThat(json(e)).isEqualTo("[0.1, -2.5e-3 ,1,\n 0.30000001]");
    assertThat(e.values()).containsExactly(0.1f, -0.0025f, 1f, 0.30000001f);
  }

  @Test
  void valuesAreReadAsFloat32WhenAskedForPastTheFirstBuffer() throws Exception {
    StringBuilder s = new StringBuilder("{\"v\":[");
    for (int i = 0; i < 3000; i++) {
      s.append(i == 0 ? "" : ",").append(i / 4096.0);
    }
    Embedding e = read(s.append("]}").toString(), true);

    assertThat(e.hasJson()).isFalse();
    assertThat(e.dimensions()).isEqualTo(3000);
    assertThat(e.values()[2999]).isEqualTo((float) (2999 / 4096.0));
  }

  @Test
  void anEmptyArrayIsAVectorOfNoValues() throws Exception {
    assertThat(read("{\"v\":[]}", false).dimensions()).isZero();
    assertThat(read("{\"v\":[]}", true).values()).isEmpty();
  }

  @Test
  void anythingButNumbersIsRefused() {
    assertThatThrownBy(() -> read("{\"v\":[0.1,\"0.2\"]}", false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> read("{\"v\":[0.1,[0.2]]}", true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> read("{\"v\":\"AAAA\"}", false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
