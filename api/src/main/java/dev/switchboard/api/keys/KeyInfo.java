package dev.switchboard.api.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.util.Map;

/** {@code GET /key}: the calling key's limits and usage. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record KeyInfo(
    String label,
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
    boolean isFreeTier,
    boolean isManagementKey,
    boolean isProvisioningKey,
    String creatorUserId,
    String expiresAt,
    Map<String, Object> rateLimit) {}
