-- Issue 16: device code reservations are listed per account (the phone page shows them, with the device that made
-- each) and voided on their own when they expire (job `codes.expireDeviceReservations`). `device` is the name the
-- phone gave itself; `expired_at` is when the job voided the unused codes (a label printed before the expiry and
-- reported later is still accepted).
ALTER TABLE code_reservation
  ADD COLUMN device text,
  ADD COLUMN expired_at timestamptz;
CREATE INDEX code_reservation_device_owner_idx ON code_reservation (created_by, created_at DESC)
  WHERE purpose = 'device';
CREATE INDEX code_reservation_device_due_idx ON code_reservation (expires_at)
  WHERE purpose = 'device' AND released_at IS NULL AND expired_at IS NULL;
