-- A web submission: the token that made it (in the load's transaction).
INSERT INTO iafq.token_submission (submission_id, token_id)
VALUES ($1::bigint, $2::bigint)
ON CONFLICT (submission_id) DO NOTHING
