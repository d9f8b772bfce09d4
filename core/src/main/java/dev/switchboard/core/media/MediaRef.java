package dev.switchboard.core.media;

/** A media URL a request carries and what it is for. */
public record MediaRef(String url, MediaKind kind) {}
