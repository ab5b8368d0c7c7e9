-- Named queries of the attempt ledger (adapters/worker/store/attempt_ledger.cpp).

-- name: worker_attempt_insert
INSERT INTO send_attempts (target_id, content_version, attempt, account_id, platform, worker, kind, started_at,
                           finished_at, latency_ms, request_summary, response_status, outcome, platform_post_id,
                           error_class, error_code, error_message)
VALUES ($1, $2, $3, $4, $5, $6, $7, to_timestamp($8::double precision / 1000),
        to_timestamp($9::double precision / 1000), $10, $11, $12, $13, $14, $15, $16, $17)
RETURNING id;

-- name: worker_attempts_of_target
SELECT id, target_id, content_version, attempt, account_id, platform, worker, kind,
       (extract(epoch FROM started_at) * 1000)::bigint, (extract(epoch FROM finished_at) * 1000)::bigint,
       latency_ms, request_summary, response_status, outcome, platform_post_id, error_class, error_code,
       error_message
FROM send_attempts WHERE target_id = $1 ORDER BY id;

-- name: worker_publish_calls
-- How many publish calls reached the platform for this target and content version (governor
-- deferrals and held sends make no call and write no row).
SELECT count(*) FROM send_attempts WHERE target_id = $1 AND content_version = $2 AND kind = 'publish';
