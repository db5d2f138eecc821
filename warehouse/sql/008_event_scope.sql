-- Schema version 8: whether an event is in postwatch's scope (health and care). Real
-- appointments elsewhere (a party leader, a tech company's chief executive) stay in the
-- events table, marked out of scope, and never reach the alert feed. Rows from before this
-- column count as in scope.
ALTER TABLE events ADD COLUMN IF NOT EXISTS in_scope BOOLEAN DEFAULT TRUE;
