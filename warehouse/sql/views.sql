-- Views users query (documented in README.md, one example each). Re-applied after the
-- migrations on every writable open; CREATE OR REPLACE keeps that safe. An event's
-- `happened` is its own date when the text gives one, else the article's published date.

CREATE OR REPLACE VIEW no_appointment_alerts AS
SELECT e.event_id, e.post, e.organisation, e.org_id, e.person, e.interim, e.event_date, e.sentence,
       a.article_id, a.url, a.title, a.published, a.first_seen, a.extracted_at
FROM events e JOIN articles a USING (article_id)
WHERE e.event_type = 'NO_APPOINTMENT'
  AND coalesce(e.in_scope, TRUE);  -- out of scope (not health or care): kept in events, never alerted

-- Failed recruitments with the article and the sentence that says so.
CREATE OR REPLACE VIEW failed_recruitments AS
SELECT *, coalesce(event_date, published) AS happened
FROM no_appointment_alerts;

CREATE OR REPLACE VIEW appointments AS
SELECT e.event_id, e.person, e.person_id, e.post, e.organisation, e.org_id, e.interim,
       coalesce(e.event_date, a.published) AS happened, e.sentence, a.url, a.published, e.article_id
FROM events e JOIN articles a USING (article_id)
WHERE e.event_type = 'APPOINTMENT';

CREATE OR REPLACE VIEW departures AS
SELECT e.event_id, e.person, e.person_id, e.post, e.organisation, e.org_id, e.interim,
       coalesce(e.event_date, a.published) AS happened, e.sentence, a.url, a.published, e.article_id
FROM events e JOIN articles a USING (article_id)
WHERE e.event_type = 'DEPARTURE';

-- Who held a post at an organisation over time: one row per arrival or departure.
CREATE OR REPLACE VIEW post_history AS
SELECT lower(post) AS post, organisation, org_id, person, person_id, 'arrived' AS change, interim, happened,
       sentence, url
FROM appointments WHERE post IS NOT NULL
UNION ALL
SELECT lower(post) AS post, organisation, org_id, person, person_id, 'left' AS change, interim, happened,
       sentence, url
FROM departures WHERE post IS NOT NULL;

-- Posts advertised or recruited to with no APPOINTMENT to the same post and organisation since.
CREATE OR REPLACE VIEW open_vacancies AS
SELECT v.post, v.organisation, v.org_id, a.published AS advertised, a.url, v.sentence
FROM events v JOIN articles a USING (article_id)
WHERE v.event_type = 'VACANCY'
  AND NOT EXISTS (
      SELECT 1 FROM events p JOIN articles pa USING (article_id)
      WHERE p.event_type = 'APPOINTMENT'
        AND lower(p.post) = lower(v.post)
        AND coalesce(p.org_id, '') = coalesce(v.org_id, '')
        AND coalesce(pa.published, DATE '1900-01-01') >= coalesce(a.published, DATE '1900-01-01'));

CREATE OR REPLACE VIEW salaries_by_post AS
SELECT lower(s.post) AS post, count(*) AS mentions,
       min(s.amount_gbp) AS lowest_gbp, max(coalesce(s.amount_gbp_max, s.amount_gbp)) AS highest_gbp
FROM salaries s
WHERE s.post IS NOT NULL
GROUP BY lower(s.post);

-- One row per recruitment story (warehouse/stories.py builds `stories` after each load),
-- with how many articles tell it and its latest evidence sentence.
CREATE OR REPLACE VIEW recruitment_stories AS
SELECT s.story_id, s.org_id, s.organisation, s.post, s.opened, s.last_event, s.status, s.articles, s.events,
       s.updated, l.event_type AS latest_event_type, l.sentence AS latest_sentence, l.url AS latest_url
FROM stories s
LEFT JOIN (
    SELECT e.story_id, e.event_type, e.sentence, a.url,
           row_number() OVER (PARTITION BY e.story_id
                              ORDER BY coalesce(e.event_date, a.published) DESC NULLS LAST, a.first_seen DESC,
                                       e.event_id) AS n
    FROM events e JOIN articles a USING (article_id)
    WHERE e.story_id IS NOT NULL
) l ON l.story_id = s.story_id AND l.n = 1;
