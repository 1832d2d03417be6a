-- Issue 17 item 2: the 5-working-day review clock (seed 001 第八条) reminds the county reviewer the working day
-- before the deadline and escalates to the level above once overdue; each is sent once per application.
ALTER TABLE subject_application ADD COLUMN reminded_at timestamptz, ADD COLUMN escalated_at timestamptz;
