-- The ids an Idempotency-Key request creates come from a random seed kept with its key
-- (src/lib/server/api/keyed-ids.ts), so a retry whose first attempt made its cards but lost its
-- answer finds them instead of making them again. Random, not derived from the key: a client's
-- key can be guessed (`order-42`), and a board's other editors could then place a card under the
-- id the request would take. A failed attempt now marks its key released (`released_at`) instead
-- of deleting it, so its seed outlives the failure; a key used again after its 24 hours gets a
-- new row, and a new seed.
alter table idempotency_keys
	add column seed uuid not null default gen_random_uuid(),
	add column released_at timestamptz;
