package dev.switchboard.core.provider;

/**
 * Checks the inside of a JSON array of numbers as its bytes arrive, chunk by chunk, and counts its
 * elements, without building a token: each element must follow JSON's number grammar ({@code
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}), elements are separated by commas, whitespace
 * may stand around them. {@link VectorFeed} uses it for a vector it passes on as text.
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

  private int state;
  private int count;

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

  private static boolean space(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  private static IllegalArgumentException bad(byte b) {
    String what =
        b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
    return new IllegalArgumentException("an embedding holds " + what + " where a number belongs");
  }
}
