package dev.switchboard.server.pipeline;

/**
 * Stage 2, inbound decode: the inbound dialect reads the body into the canonical request, validated
 * (400 naming the field), its {@code provider} preferences typed once here. It runs after
 * authentication, so a caller without a valid key never has its body parsed.
 */
final class Decode {

  void run(Exchange ex) {
    ex.request(ex.dialect().decode(ex.body()));
    ex.body(null); // the canonical request is all the later stages read
  }
}
