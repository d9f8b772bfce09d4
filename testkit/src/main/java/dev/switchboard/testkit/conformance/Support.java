package dev.switchboard.testkit.conformance;

/**
 * How an adapter declares it handles a {@link Scenario}: it passes the scenario's checks, it
 * refuses the request cleanly (a {@code GatewayException} with {@code INVALID_REQUEST} from {@code
 * encode}, nothing sent), or the scenario does not apply to it (not run; the reason is shown).
 */
public sealed interface Support {

  /** The adapter passes the scenario. */
  record Supported() implements Support {}

  /** The adapter refuses the request before sending anything; {@code why} is shown. */
  record Rejected(String why) implements Support {}

  /** The scenario cannot be judged for this adapter; {@code why} is shown. */
  record NotApplicable(String why) implements Support {}

  static Support supported() {
    return new Supported();
  }

  static Support rejected(String why) {
    return new Rejected(why);
  }

  static Support notApplicable(String why) {
    return new NotApplicable(why);
  }
}
