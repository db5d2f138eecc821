-- Schema version 6: the revisit policy's bookkeeping (spiders/revisit.py). A known
-- article is fetched again only with a reason; `next_due` is when the decaying schedule
-- next asks for it (NULL: only a sitemap or feed signal, or --recheck all, will), and
-- `fetch_reason` is why it was last fetched (new, start, lastmod, updated, scheduled, recheck).
ALTER TABLE articles ADD COLUMN IF NOT EXISTS next_due TIMESTAMP;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS fetch_reason VARCHAR;
