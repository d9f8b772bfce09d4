package dev.switchboard.server.storage;

import java.time.Instant;

/**
 * An app, identified by its {@code HTTP-Referer} (reference §13): a number for {@code app_id}, the
 * referer, and the last {@code X-OpenRouter-Title}/{@code X-Title} it sent.
 */
public record App(long id, String referer, String title, Instant firstSeen, Instant lastSeen) {}
