package dev.switchboard.api.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The body of {@code POST /keys} and {@code PATCH /keys/{hash}}. Loosely typed members stay trees
 * so the server can tell "absent" from "null" and give precise errors.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateKeyRequest(
    JsonNode name,
    JsonNode limit,
    JsonNode limitReset,
    JsonNode includeByokInLimit,
    JsonNode expiresAt,
    JsonNode disabled,
    JsonNode creatorUserId) {}
