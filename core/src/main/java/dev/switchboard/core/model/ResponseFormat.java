package dev.switchboard.core.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code response_format}. {@code type} is text, json_object, json_schema (or another string); for
 * json_schema, {@code name}, {@code schema} and {@code strict} come from {@code json_schema}.
 * {@code raw} is the object as the client sent it, for dialects that take it unchanged.
 */
public record ResponseFormat(
    String type, String name, JsonNode schema, Boolean strict, JsonNode raw) {}
