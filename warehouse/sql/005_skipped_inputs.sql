-- Schema version 5: a run says what it did not load, and why. Inputs dropped before
-- extraction (duplicates, no text, too short, not an article) are counted with their
-- reasons; quarantined articles get their own count (they were in `errors` only);
-- and a crawl that stopped at its page budget (--max-pages) says so.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS articles_skipped INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS skipped_reasons VARCHAR;      -- JSON object: reason -> count, e.g. {"duplicate": 2}
ALTER TABLE runs ADD COLUMN IF NOT EXISTS articles_quarantined INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS page_budget_hit BOOLEAN;      -- the crawl stopped at --max-pages / POSTWATCH_MAX_PAGES
