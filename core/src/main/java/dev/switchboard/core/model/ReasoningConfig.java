package dev.switchboard.core.model;

/**
 * What the caller asked of reasoning. {@code effort} (max, xhigh, high, medium, low, minimal, none)
 * or {@code maxTokens}; {@code exclude} hides reasoning from the response (it is still billed).
 */
public record ReasoningConfig(String effort, Integer maxTokens, boolean exclude, Boolean enabled) {}
