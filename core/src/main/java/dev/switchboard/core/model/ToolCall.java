package dev.switchboard.core.model;

/** A complete tool call: id, function name and its arguments as a JSON string. */
public record ToolCall(String id, String name, String arguments) {}
