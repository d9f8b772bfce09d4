package dev.switchboard.core.media;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An upstream request body with fetched media spliced in while it is written. The adapter encodes
 * the request with a short {@linkplain #newPlaceholder() placeholder} as the base64 payload of each
 * fetched medium's {@code data:} URL; the body is then written piece by piece, every placeholder
 * replaced by the base64 of its bytes. So the base64 of a large medium never exists in memory as a
 * whole, nor does the whole body: only the fetched bytes (held once per request, whatever the
 * attempts) and one piece at a time. Any JSON dialect that copies a data URL's payload verbatim
 * into its body can be sent this way.
 *
 * <p>A placeholder is {@code SBMEDIA} and 25 random letters and digits: 32 characters, valid base64
 * (so an adapter may parse the data URL), never escaped in JSON, and not guessable, so a caller's
 * own text cannot contain one by accident.
 */
public final class SplicedBody {

  /** The longest piece {@link Pieces#next()} returns. */
  public static final int PIECE = 64 * 1024;

  private static final String PREFIX = "SBMEDIA";
  private static final int LENGTH = 32;
  private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  // Raw bytes per base64 piece: a multiple of 3, so pieces join without padding in between.
  private static final int RAW_PER_PIECE = PIECE / 4 * 3;

  private sealed interface Segment {}

  private record Literal(int from, int to) implements Segment {}

  private record Media(byte[] bytes) implements Segment {}

  private final byte[] template;
  private final List<Segment> segments;
  private final long length;

  private SplicedBody(byte[] template, List<Segment> segments, long length) {
    this.template = template;
    this.segments = segments;
    this.length = length;
  }

  /** A new placeholder, unique to the caller. */
  public static String newPlaceholder() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder b = new StringBuilder(LENGTH).append(PREFIX);
    while (b.length() < LENGTH) {
      b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return b.toString();
  }

  /**
   * {@code template} with each placeholder that is a key of {@code media} standing for the base64
   * of its bytes (every occurrence of it). Other bytes are written as they are.
   */
  public static SplicedBody of(byte[] template, Map<String, byte[]> media) {
    List<Segment> segments = new ArrayList<>();
    long length = 0;
    int literalFrom = 0;
    int i = 0;
    while ((i = indexOf(template, PREFIX_BYTES, i)) >= 0) {
      if (i + LENGTH > template.length) {
        break;
      }
      byte[] bytes = media.get(new String(template, i, LENGTH, StandardCharsets.US_ASCII));
      if (bytes == null) {
        i += PREFIX_BYTES.length;
        continue;
      }
      if (i > literalFrom) {
        segments.add(new Literal(literalFrom, i));
        length += i - literalFrom;
      }
      segments.add(new Media(bytes));
      length += base64Length(bytes.length);
      i += LENGTH;
      literalFrom = i;
    }
    if (literalFrom < template.length) {
      segments.add(new Literal(literalFrom, template.length));
      length += template.length - literalFrom;
    }
    return new SplicedBody(template, List.copyOf(segments), length);
  }

  /** The length of the body as written, for {@code Content-Length}. */
  public long length() {
    return length;
  }

  /** A fresh pass over the body. */
  public Pieces pieces() {
    return new Pieces();
  }

  /** The whole body in one array: for tests and small bodies only. */
  public byte[] toBytes() {
    byte[] out = new byte[Math.toIntExact(length)];
    int at = 0;
    Pieces p = pieces();
    for (byte[] piece = p.next(); piece != null; piece = p.next()) {
      System.arraycopy(piece, 0, out, at, piece.length);
      at += piece.length;
    }
    return out;
  }

  /** The body in pieces of at most {@link #PIECE} bytes. Not thread-safe. */
  public final class Pieces {
    private int segment;
    private int offset;

    private Pieces() {}

    /** The next piece, or null at the end. */
    public byte[] next() {
      while (segment < segments.size()) {
        Segment s = segments.get(segment);
        switch (s) {
          case Literal l -> {
            int from = l.from() + offset;
            if (from < l.to()) {
              int to = Math.min(l.to(), from + PIECE);
              offset += to - from;
              return Arrays.copyOfRange(template, from, to);
            }
          }
          case Media m -> {
            if (offset < m.bytes().length) {
              int n = Math.min(RAW_PER_PIECE, m.bytes().length - offset);
              ByteBuffer out = Base64.getEncoder().encode(ByteBuffer.wrap(m.bytes(), offset, n));
              offset += n;
              byte[] piece = out.array();
              return piece.length == out.remaining()
                  ? piece
                  : Arrays.copyOf(piece, out.remaining());
            }
          }
        }
        segment++;
        offset = 0;
      }
      return null;
    }
  }

  private static long base64Length(long n) {
    return (n + 2) / 3 * 4;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
