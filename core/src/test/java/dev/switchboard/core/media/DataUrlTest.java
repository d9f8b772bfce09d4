package dev.switchboard.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DataUrlTest {

  @Test
  void parsesBase64WithParametersAndNormalisesTheType() {
    DataUrl url = DataUrl.parse("data:Image/JPG;name=a.jpg;base64,AAEC").orElseThrow();
    assertThat(url.mediaType()).isEqualTo("image/jpeg");
    assertThat(url.base64()).isEqualTo("AAEC");
    assertThat(url.bytes()).containsExactly(0, 1, 2);
  }

  @Test
  void reencodesAPercentEncodedPayloadAsBase64() {
    DataUrl url = DataUrl.parse("data:text/plain,hello%20world").orElseThrow();
    assertThat(new String(url.bytes(), StandardCharsets.UTF_8)).isEqualTo("hello world");
    assertThat(url.toString()).isEqualTo("data:text/plain;base64,aGVsbG8gd29ybGQ=");
  }

  @Test
  void defaultsToTextPlainAndRejectsMalformedUrls() {
    assertThat(DataUrl.parse("data:,x").orElseThrow().mediaType()).isEqualTo("text/plain");
    assertThat(DataUrl.parse("data:image/png;base64")).isEmpty();
    assertThat(DataUrl.parse("data:image/png;base64,@@@")).isEmpty();
    assertThat(DataUrl.parse("https://example.com/a.png")).isEmpty();
    assertThat(DataUrl.isDataUrl("DATA:image/png;base64,AA==")).isTrue();
  }

  @Test
  void sniffsTheTypesMediaMayHave() {
    assertThat(MediaKind.sniff(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10}))
        .isEqualTo("image/png");
    assertThat(MediaKind.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}))
        .isEqualTo("image/jpeg");
    assertThat(MediaKind.sniff("GIF89a".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("image/gif");
    assertThat(MediaKind.sniff("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("image/webp");
    assertThat(MediaKind.sniff("%PDF-1.7".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("application/pdf");
    assertThat(MediaKind.sniff("\0\0\0\u0018ftypisom".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("video/mp4");
    assertThat(MediaKind.sniff("\0\0\0\u0014ftypqt  ".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("video/quicktime");
    assertThat(MediaKind.sniff(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3}))
        .isEqualTo("video/webm");
    assertThat(MediaKind.sniff(new byte[] {0, 0, 1, (byte) 0xBA})).isEqualTo("video/mpeg");
    assertThat(MediaKind.sniff("<html>".getBytes(StandardCharsets.US_ASCII))).isNull();
  }
}
