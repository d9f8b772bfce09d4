package dev.switchboard.server.plugins;

/** One web search result: its page, title and the text the search returned for it. */
public record SearchResult(String url, String title, String content) {}
