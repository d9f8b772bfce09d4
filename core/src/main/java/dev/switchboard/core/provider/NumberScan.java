package dev.switchboard.core.provider;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks the inside of a JSON array of numbers as its bytes arrive, chunk by chunk, and counts its
 * elements, without building a token: each element must follow JSON's number grammar ({@code
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}), elements are separated by commas, whitespace
 * may stand around them. {@link VectorFeed} uses it for a vector it passes on as text.
 *
 * <p>Two paths, one grammar. Where at least {@link #FAST_ROOM} bytes are left, whole elements are
 * read by straight-line code that skips digit runs eight bytes at a time (a digit mask computed on
 * a {@code long}); anything it does not expect (whitespace, a malformed number, the end of the
 * chunk coming near) sends it back to the element's first byte, where the byte-by-byte state
 * machine takes over: it decides every error and every element split across chunks.
 */
final class NumberScan {

  // What may come next.
  private static final int VALUE = 0; // the first element, or the closing bracket of an empty array
  private static final int VALUE_AFTER_COMMA = 1; // an element (whitespace before it)
  private static final int MINUS = 2; // after '-': a digit
  private static final int ZERO = 3; // after a leading 0: '.', 'e', or the element's end
  private static final int INT = 4; // in the integer digits
  private static final int DOT = 5; // after '.': a digit
  private static final int FRACTION = 6; // in the fraction digits
  private static final int EXP = 7; // after 'e': a sign or a digit
  private static final int EXP_SIGN = 8; // after the exponent's sign: a digit
  private static final int EXP_DIGITS = 9; // in the exponent digits
  private static final int AFTER = 10; // after an element and whitespace: ',' or ']'

  /** The bytes that must be left at an element's start for the eight-byte path to read it. */
  static final int FAST_ROOM = 64;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
  private static final long HIGH = 0x8080808080808080L;

  private int state;
  private int count;
  private int fastState; // where elements() stopped: see there

  /** Ready for the inside of a new array (just after its opening bracket). */
  void reset() {
    state = VALUE;
    count = 0;
  }

  /** The elements of the array scanned. */
  int count() {
    return count;
  }

  /**
   * Scans {@code bytes[from, to)}: returns the index of the array's closing bracket when it is
   * there, else -1 (the array goes on in the next bytes). Throws {@link IllegalArgumentException}
   * at a byte that cannot be there.
   */
  int scan(byte[] bytes, int from, int to) {
    int s = state;
    for (int i = from; i < to; i++) {
      if ((s == VALUE_AFTER_COMMA || s == VALUE) && to - i >= FAST_ROOM) {
        int j = elements(bytes, i, to);
        if (j != i) {
          s = fastState;
          i = j;
          if (i == to) {
            break;
          }
        }
      }
      byte b = bytes[i];
      if (s == INT || s == FRACTION || s == EXP_DIGITS) {
        // most of a vector's bytes: a run of digits in one state
        while (b >= '0' && b <= '9' && ++i < to) {
          b = bytes[i];
        }
        if (b >= '0' && b <= '9') {
          break; // the chunk ended in the run
        }
      }
      switch (s) {
        case VALUE, VALUE_AFTER_COMMA -> {
          if (b >= '1' && b <= '9') {
            s = INT;
          } else if (b == '0') {
            s = ZERO;
          } else if (b == '-') {
            s = MINUS;
          } else if (b == ']' && s == VALUE) {
            state = s;
            return i;
          } else if (!space(b)) {
            throw bad(b);
          }
        }
        case MINUS -> {
          if (b >= '1' && b <= '9') {
            s = INT;
          } else if (b == '0') {
            s = ZERO;
          } else {
            throw bad(b);
          }
        }
        case ZERO, INT, FRACTION, EXP_DIGITS -> {
          if (b >= '0' && b <= '9') {
            if (s == ZERO) {
              throw bad(b); // no leading zeros
            }
          } else if (b == '.' && (s == ZERO || s == INT)) {
            s = DOT;
          } else if ((b == 'e' || b == 'E') && s != EXP_DIGITS) {
            s = EXP;
          } else {
            // the element ended here
            count++;
            if (b == ',') {
              s = VALUE_AFTER_COMMA;
            } else if (b == ']') {
              state = AFTER;
              return i;
            } else if (space(b)) {
              s = AFTER;
            } else {
              throw bad(b);
            }
          }
        }
        case DOT -> {
          if (b >= '0' && b <= '9') {
            s = FRACTION;
          } else {
            throw bad(b);
          }
        }
        case EXP -> {
          if (b >= '0' && b <= '9') {
            s = EXP_DIGITS;
          } else if (b == '+' || b == '-') {
            s = EXP_SIGN;
          } else {
            throw bad(b);
          }
        }
        case EXP_SIGN -> {
          if (b >= '0' && b <= '9') {
            s = EXP_DIGITS;
          } else {
            throw bad(b);
          }
        }
        default -> { // AFTER
          if (b == ',') {
            s = VALUE_AFTER_COMMA;
          } else if (b == ']') {
            state = s;
            return i;
          } else if (!space(b)) {
            throw bad(b);
          }
        }
      }
    }
    state = s;
    return -1;
  }

  /**
   * Reads whole elements from {@code i}, an element's first byte, while at least {@link #FAST_ROOM}
   * bytes are left at an element's start, and counts them. Returns {@code i} itself when it read
   * none (the state machine then takes that element byte by byte). Else it returns where the state
   * machine goes on and sets {@link #fastState}: {@code VALUE_AFTER_COMMA} at the first byte of an
   * element it did not read (after a comma), or {@code EXP_DIGITS} at the byte after a number that
   * no comma followed (its end, ']' or whitespace, or an error).
   */
  private int elements(byte[] b, int i, int to) {
    int n = 0;
    int limit = to - FAST_ROOM;
    while (i <= limit) {
      int p = i + (b[i] == '-' ? 1 : 0);
      int k = digits(b, p, to);
      if (k <= 0 || (k > 1 && b[p] == '0')) {
        break; // not a number it reads (a leading zero, say): the state machine takes it from i
      }
      p += k;
      if (b[p] == '.') {
        k = digits(b, ++p, to);
        if (k <= 0) {
          break;
        }
        p += k;
      }
      if ((b[p] | 0x20) == 'e') {
        if (++p + 8 > to) {
          break;
        }
        if (b[p] == '+' || b[p] == '-') {
          p++;
        }
        k = digits(b, p, to);
        if (k <= 0) {
          break;
        }
        p += k;
      }
      n++;
      if (b[p] != ',') {
        count += n - 1; // the state machine counts this one where it ends
        fastState = EXP_DIGITS;
        return p;
      }
      i = p + 1;
    }
    count += n;
    fastState = VALUE_AFTER_COMMA;
    return i;
  }

  /**
   * The length of the run of ASCII digits at {@code p}, eight bytes at a time; -1 when it could
   * reach the last eight bytes before {@code to} (the state machine then reads it).
   */
  private static int digits(byte[] b, int p, int to) {
    int run = 0;
    while (p + 8 <= to) {
      long w = (long) LONGS.get(b, p);
      long m = w & LOW7;
      // a byte is a digit when it is at least '0' (0x30) and below ':' (0x3A), high bit clear
      long digit = (m + 0x5050505050505050L) & ~(m + 0x4646464646464646L) & ~w & HIGH;
      int d = Long.numberOfTrailingZeros(~digit & HIGH) >>> 3;
      run += d;
      if (d < 8) {
        return run;
      }
      p += 8;
    }
    return -1;
  }

  private static boolean space(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  private static IllegalArgumentException bad(byte b) {
    String what =
        b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
    return new IllegalArgumentException("an embedding holds " + what + " where a number belongs");
  }
}
