package dev.switchboard.client;

/** 402: not enough credits, or the key's spending limit is reached. */
public class PaymentRequiredException extends SwitchboardException {

  private static final long serialVersionUID = 1L;

  PaymentRequiredException(ErrorInfo info) {
    super(info);
  }

  PaymentRequiredException(ErrorInfo info, Throwable cause) {
    super(info, cause);
  }
}
