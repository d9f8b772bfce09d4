package dev.switchboard.server.limits;

import java.util.Objects;

/**
 * Who a reservation is held against: the organisation, a key, an end user ({@code user}) or a
 * session ({@code session_id}). Every budget line names the holder whose spend and in-flight
 * reservations it counts; several lines may share one holder (a key's limit and its guardrails).
 */
public record Holder(Kind kind, String id) {

  /** The kinds of holder. */
  public enum Kind {
    ORG,
    KEY,
    USER,
    SESSION
  }

  /** The organisation: one per gateway (or per cluster). */
  public static final Holder ORG = new Holder(Kind.ORG, "org");

  public Holder {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
  }

  public static Holder key(String hash) {
    return new Holder(Kind.KEY, hash);
  }

  public static Holder user(String user) {
    return new Holder(Kind.USER, user);
  }

  public static Holder session(String sessionId) {
    return new Holder(Kind.SESSION, sessionId);
  }
}
