package dev.switchboard.api.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;

/**
 * One row of {@code GET /activity} (reference §11.4): usage of one UTC day, model and endpoint.
 * {@code workspace_id} is set only with {@code group_by=workspace}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActivityRow(
    String date,
    String model,
    String modelPermaslug,
    String endpointId,
    String providerName,
    BigDecimal usage,
    BigDecimal byokUsageInference,
    Long requests,
    Long promptTokens,
    Long completionTokens,
    Long reasoningTokens,
    String workspaceId) {}
