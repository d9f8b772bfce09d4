package dev.switchboard.simulator.behavior;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The reasoning a dialect shows when the caller asks for it (Anthropic's {@code thinking}), and the
 * signature that vouches for it. Both are pure functions of the request: the text names what the
 * reply will do, the signature is a digest of the text, so a later turn that sends the thinking
 * back can be checked the way Anthropic checks its own signatures.
 */
public final class ThinkingText {

  private static final String SIGNATURE_KEY = "switchboard-simulator-thinking-v1:";

  private ThinkingText() {}

  /** The thinking that precedes {@code plan}'s reply to {@code prompt}. */
  public static String forPlan(Prompt prompt, Plan plan) {
    Prompt.Turn last = prompt.turns().isEmpty() ? null : prompt.turns().getLast();
    StringBuilder out = new StringBuilder(160).append("Simulated reasoning. ");
    if (last != null && last.role() == Prompt.Role.TOOL) {
      out.append("The tool results are in, so I will answer from them.");
    } else {
      out.append("The user asks: \"");
      String user = "";
      for (Prompt.Turn turn : prompt.turns().reversed()) {
        if (turn.role() == Prompt.Role.USER) {
          user = turn.text();
          break;
        }
      }
      String[] words = user.strip().split("\\s+");
      for (int i = 0; i < Math.min(words.length, 8); i++) {
        out.append(i == 0 ? "" : " ").append(words[i]);
      }
      out.append("\". ");
      switch (plan.reply()) {
        case Plan.ToolCalls calls -> {
          out.append("A tool can answer this; I will call ");
          for (int i = 0; i < calls.calls().size(); i++) {
            out.append(i == 0 ? "" : " and ").append(calls.calls().get(i).name());
          }
          out.append('.');
        }
        case Plan.Text text -> out.append("I will answer directly.");
      }
    }
    return out.toString();
  }

  /** The signature of {@code thinking}: base64 of a SHA-256 digest, keyed. */
  public static String signature(String thinking) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] hash = digest.digest((SIGNATURE_KEY + thinking).getBytes(StandardCharsets.UTF_8));
      return "Sim" + Base64.getEncoder().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** Whether {@code signature} is the one this simulator gave {@code thinking}. */
  public static boolean verify(String thinking, String signature) {
    return signature != null && signature.equals(signature(thinking == null ? "" : thinking));
  }
}
