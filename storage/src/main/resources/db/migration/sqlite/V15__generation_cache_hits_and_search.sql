-- A response-cache hit is a generation of its own (issue 13): the generation whose answer it
-- replayed, or null for a generation a model produced.
ALTER TABLE generations ADD COLUMN response_cache_source_id TEXT;

-- The web search engine a generation used (exa or native), or null.
ALTER TABLE generations ADD COLUMN web_search_engine TEXT;
