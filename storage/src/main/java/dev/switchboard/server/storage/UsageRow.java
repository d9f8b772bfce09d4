package dev.switchboard.server.storage;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Usage of one UTC day, model and provider (a row of {@code GET /activity}), from the roll-up.
 *
 * @param usage USD charged
 * @param byokUsage USD paid upstream with the user's own provider keys
 */
public record UsageRow(
    LocalDate day,
    String model,
    String providerName,
    long requests,
    long promptTokens,
    long completionTokens,
    long reasoningTokens,
    BigDecimal usage,
    BigDecimal byokUsage) {}
