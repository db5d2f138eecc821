-- Views users query. CREATE OR REPLACE keeps them safe to re-apply.
CREATE OR REPLACE VIEW no_appointment_alerts AS
SELECT e.event_id, e.post, e.organisation, e.person, e.interim, e.event_date, e.sentence,
       a.article_id, a.url, a.title, a.published, a.first_seen
FROM events e JOIN articles a USING (article_id)
WHERE e.event_type = 'NO_APPOINTMENT';

CREATE OR REPLACE VIEW failed_recruitments AS
SELECT * FROM no_appointment_alerts;

-- Posts advertised or recruited to with no APPOINTMENT to the same post and organisation since.
CREATE OR REPLACE VIEW open_vacancies AS
SELECT v.post, v.organisation, a.published AS advertised, a.url, v.sentence
FROM events v JOIN articles a USING (article_id)
WHERE v.event_type = 'VACANCY'
  AND NOT EXISTS (
      SELECT 1 FROM events p JOIN articles pa USING (article_id)
      WHERE p.event_type = 'APPOINTMENT'
        AND lower(p.post) = lower(v.post)
        AND coalesce(p.organisation, '') = coalesce(v.organisation, '')
        AND coalesce(pa.published, DATE '1900-01-01') >= coalesce(a.published, DATE '1900-01-01'));

CREATE OR REPLACE VIEW salaries_by_post AS
SELECT lower(s.post) AS post, count(*) AS mentions,
       min(s.amount_gbp) AS lowest_gbp, max(coalesce(s.amount_gbp_max, s.amount_gbp)) AS highest_gbp
FROM salaries s
WHERE s.post IS NOT NULL
GROUP BY lower(s.post);
