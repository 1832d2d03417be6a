-- One registry, one identity (issue 15 item 1): the keyed hashes (HMAC-SM3 with the national identity key) of each
-- subject's duplicate keys, compared across platforms instead of ID numbers (docs/adr/0015-national-identity-key.md).
-- Filled by the subjects module whenever it writes or shares a subject, and re-derived when the key changes.
ALTER TABLE subject ADD COLUMN registry_hashes text[] NOT NULL DEFAULT '{}';
CREATE INDEX subject_registry_hashes ON subject USING gin (registry_hashes);
-- The same hashes travel in shared-in subject records (payload.registryHashes): the national registry's look-up.
CREATE INDEX shared_record_registry_hashes ON shared_record USING gin ((payload -> 'registryHashes'))
  WHERE resource = 'subject';
