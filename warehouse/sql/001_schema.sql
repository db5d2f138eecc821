-- Core tables. The names and columns here are a public contract: users write SQL against them.
-- Safe to re-run: every statement is IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    applied_at TIMESTAMP DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS articles (
    article_id   VARCHAR PRIMARY KEY,   -- stable hash of the canonical url
    url          VARCHAR NOT NULL,
    title        VARCHAR,
    published    DATE,
    source       VARCHAR,
    text         VARCHAR,
    content_hash VARCHAR,
    fetched_at   TIMESTAMP,
    first_seen   TIMESTAMP,
    last_seen    TIMESTAMP,
    extracted_at TIMESTAMP
);

CREATE TABLE IF NOT EXISTS people (
    person_id VARCHAR PRIMARY KEY,      -- hash of the normalised name: the same person across articles
    name      VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS organisations (
    org_id VARCHAR PRIMARY KEY,
    name   VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS mentions (
    article_id  VARCHAR NOT NULL,
    entity_type VARCHAR NOT NULL,       -- 'PERSON' or 'ORG'
    entity_id   VARCHAR NOT NULL,
    start_char  INTEGER,
    end_char    INTEGER,
    text        VARCHAR
);

CREATE TABLE IF NOT EXISTS posts (
    article_id   VARCHAR NOT NULL,
    title        VARCHAR NOT NULL,
    organisation VARCHAR,
    person       VARCHAR,
    interim      BOOLEAN,
    sentence     VARCHAR,
    start_char   INTEGER,
    end_char     INTEGER
);

CREATE TABLE IF NOT EXISTS salaries (
    article_id     VARCHAR NOT NULL,
    post           VARCHAR,
    amount_gbp     BIGINT NOT NULL,     -- pounds a year
    amount_gbp_max BIGINT,
    sentence       VARCHAR,
    start_char     INTEGER,
    end_char       INTEGER
);

CREATE TABLE IF NOT EXISTS events (
    event_id     VARCHAR NOT NULL,      -- stable: the same event keeps its id when re-extracted
    article_id   VARCHAR NOT NULL,
    event_type   VARCHAR NOT NULL,      -- VACANCY, APPOINTMENT, NO_APPOINTMENT, DEPARTURE
    post         VARCHAR,
    organisation VARCHAR,
    person       VARCHAR,
    interim      BOOLEAN,
    event_date   DATE,
    sentence     VARCHAR,
    start_char   INTEGER,
    end_char     INTEGER
);

CREATE TABLE IF NOT EXISTS crawl_errors (
    url     VARCHAR,
    kind    VARCHAR,
    status  INTEGER,
    message VARCHAR,
    time    TIMESTAMP
);

INSERT INTO schema_version (version) VALUES (1) ON CONFLICT DO NOTHING;
