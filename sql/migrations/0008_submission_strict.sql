-- 0008_submission_strict: whether a submission was judged under --strict
-- (warnings counted as errors).  The same bytes are "the same ingest" only
-- under the same --strict (sql/q/load_existing.sql): a strict rejection
-- does not stop the same file being judged again without --strict, so the
-- same-bytes key gains the flag.  Submissions made before this migration
-- are recorded as judged without --strict (the default; iafq did not
-- record it then).
ALTER TABLE iafq.submission
    ADD COLUMN strict boolean NOT NULL DEFAULT false;

DROP INDEX iafq.submission_same_bytes;
CREATE UNIQUE INDEX submission_same_bytes
    ON iafq.submission (sha256, coalesce(country, ''), coalesce(year, 0),
                        strict);
