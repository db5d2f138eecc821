-- Schema version 3: posts and events carry the ids of their person and organisation, so
-- `person_id` and `org_id` join across the whole warehouse. Rows loaded by version 2 get
-- their ids from the people and organisations rows of the same name.
ALTER TABLE posts ADD COLUMN IF NOT EXISTS person_id VARCHAR;
ALTER TABLE posts ADD COLUMN IF NOT EXISTS org_id VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS person_id VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS org_id VARCHAR;

UPDATE posts SET person_id = p.person_id FROM people p WHERE posts.person_id IS NULL AND p.name = posts.person;
UPDATE posts SET org_id = o.org_id FROM organisations o WHERE posts.org_id IS NULL AND o.name = posts.organisation;
UPDATE events SET person_id = p.person_id FROM people p WHERE events.person_id IS NULL AND p.name = events.person;
UPDATE events SET org_id = o.org_id FROM organisations o WHERE events.org_id IS NULL AND o.name = events.organisation;
