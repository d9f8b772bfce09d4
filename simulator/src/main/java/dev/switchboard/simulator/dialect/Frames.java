package dev.switchboard.simulator.dialect;

import java.util.Arrays;

/**
 * A rendered stream: the SSE text of every frame (one event each) in one buffer, with where each
 * frame ends, whether it is paced (carries a token, so it waits its turn at the configured tokens
 * per second) and whether it is the end-of-stream sentinel. Unpaced frames go out together with the
 * frame before them.
 */
public final class Frames {

  private final StringBuilder text;
  private int[] ends = new int[64];
  private boolean[] paced = new boolean[64];
  private int count;
  private int doneIndex = -1;

  public Frames(int expectedChars) {
    this.text = new StringBuilder(expectedChars);
  }

  /** Where a dialect appends the next frame's text, before calling {@link #mark}. */
  public StringBuilder builder() {
    return text;
  }

  /** Ends the frame appended since the previous mark. */
  public void mark(boolean isPaced) {
    if (count == ends.length) {
      ends = Arrays.copyOf(ends, count * 2);
      paced = Arrays.copyOf(paced, count * 2);
    }
    ends[count] = text.length();
    paced[count] = isPaced;
    count++;
  }

  /** Ends the frame appended since the previous mark, which is the end-of-stream sentinel. */
  public void markDone() {
    doneIndex = count;
    mark(false);
  }

  public int size() {
    return count;
  }

  /** Frames before the end-of-stream sentinel (all of them when there is none). */
  public int chunkCount() {
    return doneIndex < 0 ? count : doneIndex;
  }

  public boolean paced(int i) {
    return paced[i];
  }

  /** The text of frame {@code i}. */
  public String frame(int i) {
    return text.substring(i == 0 ? 0 : ends[i - 1], ends[i]);
  }

  /** The whole stream's text. */
  public CharSequence text() {
    return text;
  }
}
