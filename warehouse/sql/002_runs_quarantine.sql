-- Schema version 2: a row per flow run, and a quarantine for articles that could not be
-- extracted or loaded (the rest of their batch loads; the next run tries them again).
CREATE TABLE IF NOT EXISTS runs (
    run_id                VARCHAR PRIMARY KEY,   -- the Prefect flow run id
    flow                  VARCHAR NOT NULL,      -- postwatch-crawl or postwatch-ingest
    started               TIMESTAMP NOT NULL,
    finished              TIMESTAMP,
    status                VARCHAR NOT NULL,      -- RUNNING, COMPLETED or FAILED
    articles_seen         INTEGER,
    articles_new          INTEGER,
    articles_changed      INTEGER,
    articles_unchanged    INTEGER,
    vacancy_events        INTEGER,
    appointment_events    INTEGER,
    no_appointment_events INTEGER,
    departure_events      INTEGER,
    errors                INTEGER,               -- crawl errors plus quarantined articles
    message               VARCHAR                -- why a FAILED run failed
);

CREATE TABLE IF NOT EXISTS quarantine (
    url        VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    stage      VARCHAR NOT NULL,                 -- extract or load
    error      VARCHAR NOT NULL,
    time       TIMESTAMP NOT NULL,
    run_id     VARCHAR
);
