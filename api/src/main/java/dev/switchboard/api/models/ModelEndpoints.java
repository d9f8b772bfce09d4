package dev.switchboard.api.models;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** The {@code data} of {@code GET /models/{author}/{slug}/endpoints}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelEndpoints(
    String id,
    String name,
    long created,
    String description,
    ModelInfo.Architecture architecture,
    List<EndpointInfo> endpoints) {}
