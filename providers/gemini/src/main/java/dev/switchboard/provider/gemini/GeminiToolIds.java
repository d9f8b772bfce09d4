package dev.switchboard.provider.gemini;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Tool-call ids for Gemini, which gives none (unless a function call carries its own {@code id},
 * which is then kept). An id is {@code call_} plus 24 base-62 characters of the SHA-256 of the
 * response id, the call's position in the response and the function name: stable (the same response
 * always yields the same ids, streamed or not), unique across the turns of a conversation, and
 * shaped like OpenAI's.
 */
final class GeminiToolIds {

  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private GeminiToolIds() {}

  static String id(String upstreamId, String responseId, int position, String name) {
    if (upstreamId != null && !upstreamId.isEmpty()) {
      return upstreamId;
    }
    byte[] hash = sha256(responseId + "\n" + position + "\n" + name);
    char[] out = new char[24];
    for (int i = 0; i < out.length; i++) {
      out[i] = BASE62[(hash[i] & 0xFF) % 62];
    }
    return "call_" + new String(out);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
