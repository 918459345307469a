/**
 * Schema migrations, applied in order; PRAGMA user_version holds how many ran. A migration is
 * never edited once released: add a new one.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE counters (
    series TEXT NOT NULL,
    year   INTEGER NOT NULL,
    next   INTEGER NOT NULL,
    PRIMARY KEY (series, year)
  ) STRICT;

  CREATE TABLE dispatches (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL,
    series      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('circular', 'individual')),
    template    TEXT NOT NULL,
    date        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'void')),
    void_reason TEXT,
    created_at  TEXT NOT NULL,
    UNIQUE (series, year, seq)
  ) STRICT;
  -- One active dispatch per key; a voided one stays, and the key may be allocated anew.
  CREATE UNIQUE INDEX dispatches_active_key ON dispatches (key) WHERE status = 'active';

  CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    dispatch_id INTEGER NOT NULL REFERENCES dispatches (id),
    recipient   TEXT NOT NULL,
    variant     TEXT NOT NULL,
    input_hash  TEXT,
    files       TEXT NOT NULL DEFAULT '{}',
    written_at  TEXT,
    UNIQUE (dispatch_id, recipient)
  ) STRICT;
  CREATE INDEX notes_recipient ON notes (recipient);

  CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    user    TEXT NOT NULL,
    command TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL
  ) STRICT;
  `,
];
