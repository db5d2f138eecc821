-- Schema version 4: the HTTP validators an article was last fetched with, so the next
-- crawl can ask for it conditionally (If-None-Match / If-Modified-Since) and a 304
-- costs no download and no extraction.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS etag VARCHAR;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS last_modified VARCHAR;
