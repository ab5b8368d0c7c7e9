-- The scheduler's own record of due work (DESIGN.md sections 3 and 4). One row per target (one
-- post on one account): the newest approved content version and attempt publishing asked for.
-- PostgreSQL is the system of record: the Redis due set is rebuilt from the pending rows.
CREATE TABLE scheduler_jobs (
  target_id       text PRIMARY KEY,
  content_version bigint NOT NULL,
  attempt         bigint NOT NULL,
  org_id          text NOT NULL,
  platform        text NOT NULL,
  due_at          timestamptz NOT NULL,
  payload         jsonb NOT NULL,  -- the DispatchJob as approved (contracts/publishing/messages.hpp)
  state           text NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'dispatched', 'held', 'cancelled')),
  dispatched_at   timestamptz,     -- when it left the scheduler (dispatched or held)
  held_scope      text,            -- the freeze scope that held it
  missed_at       timestamptz,     -- when the missed-post detector reported it
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Due pending work, in due order (reconciler, missed-post detector).
CREATE INDEX scheduler_jobs_due_pending ON scheduler_jobs (due_at) WHERE state = 'pending';
CREATE INDEX scheduler_jobs_org_due ON scheduler_jobs (org_id, due_at);

-- Envelope ids of commands already applied (consumers are idempotent on id, DESIGN.md section 3).
CREATE TABLE scheduler_commands_seen (
  envelope_id text PRIMARY KEY,
  seen_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scheduler_commands_seen_at ON scheduler_commands_seen (seen_at);
