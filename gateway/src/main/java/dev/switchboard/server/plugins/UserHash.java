package dev.switchboard.server.plugins;

import dev.switchboard.core.model.LlmRequest;
import dev.switchboard.server.pipeline.Exchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The request's {@code user} goes upstream hashed (reference 3.1): the provider can still tell one
 * end user from another for abuse isolation, but never learns who they are. The hash is of the
 * caller's key hash and the user, so two keys' "alice" are different users upstream. Budgets,
 * records and activity keep the plain value; only the attempt's copy is hashed.
 */
final class UserHash {

  private UserHash() {}

  static LlmRequest apply(Exchange ex, LlmRequest request) {
    if (request.user() == null || request.user().isEmpty()) {
      return request;
    }
    String keyHash = ex.key() == null ? "" : ex.key().hash();
    return request.withUser(of(keyHash, request.user()));
  }

  static String of(String keyHash, String user) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(keyHash.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      byte[] digest = sha.digest(user.getBytes(StandardCharsets.UTF_8));
      return "sb-user-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
