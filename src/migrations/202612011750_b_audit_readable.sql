-- Issue 17 item 9: an audit log officials can read — who (name and organisation at the time), which object (its
-- name), and what changed (before and after values), written with the row by audit(ctx, …).
ALTER TABLE audit_log
  ADD COLUMN actor_display text,
  ADD COLUMN org_name      text,
  ADD COLUMN target_name   text,
  ADD COLUMN before        jsonb,
  ADD COLUMN after         jsonb;
