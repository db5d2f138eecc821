-- Schema version 7: recruitment stories, and what `postwatch explain` needs to show how an
-- event was found.
--
-- A story is every event about one post at one organisation within a window (see
-- warehouse/stories.py, which rebuilds `stories` and `story_events` after each load). Each
-- event's `story_id` is filled from `story_events`, which is keyed by event id, so an
-- article that is extracted again finds its events' stories again.
CREATE TABLE IF NOT EXISTS stories (
    story_id     VARCHAR PRIMARY KEY,   -- stable: the feed's urn:postwatch:story:<story_id>
    org_id       VARCHAR NOT NULL,
    organisation VARCHAR,
    post         VARCHAR NOT NULL,      -- normalised ("chief exec" and "CEO" are "chief executive")
    opened       DATE,                  -- its first event
    last_event   DATE,                  -- its latest event
    status       VARCHAR NOT NULL,      -- open, failed, filled or closed
    articles     INTEGER NOT NULL,
    events       INTEGER NOT NULL,
    updated      TIMESTAMP              -- when its newest article was first seen: an article joined
);

CREATE TABLE IF NOT EXISTS story_events (
    event_id VARCHAR PRIMARY KEY,
    story_id VARCHAR NOT NULL
);

ALTER TABLE events ADD COLUMN IF NOT EXISTS story_id VARCHAR;
-- How the event was found: the cue's words (its offsets are start_char/end_char), where the
-- sentence starts in the article, where each part sits in the article (NULL when it is not
-- named in the sentence), and which rule linked each part.
ALTER TABLE events ADD COLUMN IF NOT EXISTS cue VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS sentence_start INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS person_start INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS person_end INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS post_start INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS post_end INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS org_start INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS org_end INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS link_rule VARCHAR;
