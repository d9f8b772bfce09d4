package dev.switchboard.server.pipeline;

import dev.switchboard.core.model.Usage;
import dev.switchboard.server.metering.Cost;

/** What the settle stage metered: the usage a request is billed for and its cost. */
public record Bill(Usage usage, Cost cost) {

  /** Nothing produced, nothing charged. */
  public static final Bill NONE = new Bill(Usage.ZERO, Cost.ZERO);
}
