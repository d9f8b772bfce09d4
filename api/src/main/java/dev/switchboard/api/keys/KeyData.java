package dev.switchboard.api.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;

/** A key as the key management API shows it (OpenRouter's {@code Key}); never the plaintext. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record KeyData(
    String hash,
    String name,
    String label,
    boolean disabled,
    BigDecimal limit,
    BigDecimal limitRemaining,
    String limitReset,
    boolean includeByokInLimit,
    BigDecimal usage,
    BigDecimal usageDaily,
    BigDecimal usageWeekly,
    BigDecimal usageMonthly,
    BigDecimal byokUsage,
    BigDecimal byokUsageDaily,
    BigDecimal byokUsageWeekly,
    BigDecimal byokUsageMonthly,
    String createdAt,
    String updatedAt,
    String expiresAt,
    String creatorUserId,
    String workspaceId) {}
