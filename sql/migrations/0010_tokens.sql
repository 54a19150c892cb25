-- 0010_tokens: access to `iafq serve` (issue 13): the tokens analysts issue
-- to focal points, which token made which submission, and the bytes of
-- each return uploaded through the web page (to give its feedback workbook
-- again from the history page).  After 0009 (roles per command): its
-- grants covered the tables that existed then, so these tables' grants are
-- here; on iafq's own cluster `iafq serve` connects as iafq_loader and
-- `iafq token issue/revoke` as the owner (docs/disclosure.md).

-- A sign-in token: only the SHA-256 of its 256-bit secret is kept.
CREATE TABLE iafq.token (
    id            bigserial PRIMARY KEY,
    country       char(3) REFERENCES iafq.m49_country (iso3), -- NULL: analyst only
    analyst       boolean NOT NULL DEFAULT false,  -- sees the tracker
    note          text,
    secret_sha256 text NOT NULL UNIQUE CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
    issued        timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires       timestamptz,                     -- NULL: never
    revoked       timestamptz,                     -- NULL: not revoked
    last_used     timestamptz,
    CHECK (country IS NOT NULL OR analyst)
);

-- Which token made a submission (submissions made by `iafq ingest` have
-- no row here).
CREATE TABLE iafq.token_submission (
    submission_id bigint PRIMARY KEY REFERENCES iafq.submission (id),
    token_id      bigint NOT NULL REFERENCES iafq.token (id)
);
CREATE INDEX token_submission_token ON iafq.token_submission (token_id);

-- The bytes of a return uploaded through the web page, as a large object
-- (streamed in and out by libpq, never whole in memory), once per SHA-256.
CREATE TABLE iafq.upload (
    sha256    text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content   oid NOT NULL,
    bytes     bigint NOT NULL CHECK (bytes >= 0),
    stored    timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Analysts read everything but the secrets' hashes; the loader (a server
-- run as iafq_loader) signs in, links submissions and keeps their bytes.
GRANT SELECT (id, country, analyst, note, issued, expires, revoked, last_used)
    ON iafq.token TO iafq_analyst;
GRANT SELECT ON iafq.token_submission, iafq.upload TO iafq_analyst;
GRANT SELECT, UPDATE (last_used) ON iafq.token TO iafq_loader;
GRANT SELECT, INSERT ON iafq.token_submission, iafq.upload TO iafq_loader;
