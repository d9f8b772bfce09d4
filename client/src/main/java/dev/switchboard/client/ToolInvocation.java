package dev.switchboard.client;

import java.time.Duration;

/**
 * One tool call the loop executed: the round it came in, the call id, the tool, the arguments as
 * the model sent them, the result sent back (an error report when {@code failed}) and how long the
 * handler took.
 */
public record ToolInvocation(
    int round,
    String callId,
    String name,
    String arguments,
    String result,
    boolean failed,
    Duration duration) {}
