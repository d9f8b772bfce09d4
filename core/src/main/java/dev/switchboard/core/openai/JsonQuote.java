package dev.switchboard.core.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A string as the JSON the shared mapper writes for it, quotes included, for the encoders that
 * write a frame's bytes around a text instead of serializing a tree per streamed token.
 */
public final class JsonQuote {

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private JsonQuote() {}

  /**
   * {@code text} as a JSON string, quotes included, escaped as the mapper's generator does: its
   * escaper's rules, except that the generator writes each UTF-16 surrogate (paired or not) as a
   * six-character escape (backslash, u, four upper-case hex digits) where the escaper would write
   * the pair's UTF-8.
   */
  public static byte[] quote(String text) {
    JsonStringEncoder escaper = JsonStringEncoder.getInstance();
    int surrogate = firstSurrogate(text, 0);
    if (surrogate < 0) {
      byte[] escaped = escaper.quoteAsUTF8(text);
      byte[] out = new byte[escaped.length + 2];
      out[0] = '"';
      System.arraycopy(escaped, 0, out, 1, escaped.length);
      out[out.length - 1] = '"';
      return out;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
    out.write('"');
    int from = 0;
    while (surrogate >= 0) {
      out.writeBytes(escaper.quoteAsUTF8(text.substring(from, surrogate)));
      char c = text.charAt(surrogate);
      out.write('\\');
      out.write('u');
      for (int shift = 12; shift >= 0; shift -= 4) {
        out.write(HEX[(c >> shift) & 0xF]);
      }
      from = surrogate + 1;
      surrogate = firstSurrogate(text, from);
    }
    out.writeBytes(escaper.quoteAsUTF8(text.substring(from)));
    out.write('"');
    return out.toByteArray();
  }

  private static int firstSurrogate(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
