-- Issue 15: every audit entry also carries a MAC, BLAKE2b keyed with ALVD_DATA_DIR/keys/
-- audit.key over the previous MAC and the entry, so recomputing the hash chain with SQL
-- no longer passes `alvd audit verify`. The key never enters the database. Each
-- recorded head carries the MAC of its entry too. Entries written before this
-- migration get their MAC from `alvd migrate` right after it, once their unkeyed chain
-- has been checked (docs/internals/audit.md, "Migration").
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS mac BINARY(32) NULL AFTER hash;
ALTER TABLE audit_heads ADD COLUMN IF NOT EXISTS mac BINARY(32) NULL AFTER hash;
