package dev.switchboard.core.model;

import com.fasterxml.jackson.databind.JsonNode;

/** A function tool offered to the model. {@code parameters} is a JSON Schema (may be null). */
public record ToolSpec(
    String name, String description, JsonNode parameters, Boolean strict, JsonNode cacheControl) {}
