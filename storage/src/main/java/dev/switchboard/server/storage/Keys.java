package dev.switchboard.server.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * API key strings: generation, hashing, masking and comparison. Keys look like OpenRouter's, with
 * our own prefix: {@code sk-sb-v1-} (inference) or {@code sk-sb-mgmt-v1-} (management) followed by
 * 64 lowercase hex characters (256 bits from {@link SecureRandom}).
 */
public final class Keys {

  /** Prefix of inference keys. */
  public static final String INFERENCE_PREFIX = "sk-sb-v1-";

  /** Prefix of management keys. */
  public static final String MANAGEMENT_PREFIX = "sk-sb-mgmt-v1-";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  // One SHA-256 instance per thread: getInstance costs a provider look-up, and every request's
  // authentication hashes its key.
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every JVM has SHA-256", e);
            }
          });
  private static final int SECRET_BYTES = 32;
  private static final int LABEL_CHARS = 3;
  // Six shown characters are at most a quarter of the secret.
  private static final int LABEL_MIN_SECRET = 24;

  private Keys() {}

  /** A new inference key: {@code sk-sb-v1-} and 64 lowercase hex characters. */
  public static String generateInferenceKey() {
    return INFERENCE_PREFIX + secret();
  }

  /** A new management key: {@code sk-sb-mgmt-v1-} and 64 lowercase hex characters. */
  public static String generateManagementKey() {
    return MANAGEMENT_PREFIX + secret();
  }

  /** The kind a key string's prefix announces (anything else counts as an inference key). */
  public static KeyKind kindOf(String plaintext) {
    return plaintext.startsWith(MANAGEMENT_PREFIX) ? KeyKind.MANAGEMENT : KeyKind.INFERENCE;
  }

  /** The lowercase hex SHA-256 of the UTF-8 bytes of {@code plaintext}: how keys are addressed. */
  public static String hash(String plaintext) {
    // digest() resets the instance for the next call.
    return HEX.formatHex(SHA256.get().digest(plaintext.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The masked form of a key shown in listings and logs: at most our own (public) prefix, the first
   * three and the last three characters of the rest ({@code sk-sb-v1-abc...123}). Whatever the key
   * looks like, no more is shown: a user-chosen master key such as {@code
   * correct-horse-battery-staple-zebra-42} becomes {@code cor...-42}, and anything shorter than 24
   * characters after the prefix shows no character at all ({@code sk-sb-v1-***}).
   */
  public static String label(String plaintext) {
    String prefix =
        plaintext.startsWith(MANAGEMENT_PREFIX)
            ? MANAGEMENT_PREFIX
            : plaintext.startsWith(INFERENCE_PREFIX) ? INFERENCE_PREFIX : "";
    String secret = plaintext.substring(prefix.length());
    if (secret.length() < LABEL_MIN_SECRET) {
      return prefix + "***";
    }
    return prefix
        + secret.substring(0, LABEL_CHARS)
        + "..."
        + secret.substring(secret.length() - LABEL_CHARS);
  }

  /**
   * Compares two secrets in time independent of where they differ ({@link MessageDigest#isEqual});
   * false when either is null.
   */
  public static boolean constantTimeEquals(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** True when {@code hash} is 64 hex characters. */
  public static boolean isHash(String hash) {
    if (hash == null || hash.length() != 64) {
      return false;
    }
    for (int i = 0; i < hash.length(); i++) {
      char c = hash.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) {
        return false;
      }
    }
    return true;
  }

  /** {@code hash} in lowercase; throws a 400-class error when it is not 64 hex characters. */
  static String requireHash(String hash) {
    if (!isHash(hash)) {
      throw StorageErrors.invalid("a key hash is 64 hex characters");
    }
    return hash.toLowerCase(Locale.ROOT);
  }

  private static String secret() {
    byte[] bytes = new byte[SECRET_BYTES];
    RANDOM.nextBytes(bytes);
    return HEX.formatHex(bytes);
  }
}
