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
  `
  -- Replies (issue: replies). A reply is one ingested file: an e-mail export or a scan.
  CREATE TABLE replies (
    id               INTEGER PRIMARY KEY,
    sha256           TEXT NOT NULL UNIQUE,
    file_kind        TEXT NOT NULL,
    original_name    TEXT,
    channel          TEXT CHECK (channel IN ('email', 'fax', 'post')),
    state            TEXT,
    state_source     TEXT,
    received_at      TEXT,
    received_source  TEXT,
    received_problem TEXT,
    sender           TEXT,
    sender_domain    TEXT,
    subject          TEXT,
    message_id       TEXT,
    cited            TEXT NOT NULL DEFAULT '[]',
    problems         TEXT NOT NULL DEFAULT '[]',
    decision         TEXT CHECK (decision IN ('accepted', 'refused')),
    decision_reason  TEXT,
    decided_by       TEXT,
    decided_at       TEXT,
    ingested_at      TEXT NOT NULL
  ) STRICT;
  CREATE INDEX replies_state ON replies (state);

  -- The documents a reply carries (its attachments, or the scanned file itself), classified.
  CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    reply_id      INTEGER NOT NULL REFERENCES replies (id),
    position      INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    name          TEXT,
    declared_type TEXT,
    file_kind     TEXT NOT NULL,
    size          INTEGER NOT NULL,
    class         TEXT NOT NULL,
    reason        TEXT NOT NULL,
    measurements  TEXT NOT NULL DEFAULT '{}',
    forwarded     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (reply_id, position)
  ) STRICT;
  CREATE INDEX documents_sha ON documents (sha256);
  `,
  `
  -- Delegation lists (issue: delegations). A State's current list is the one not superseded;
  -- an older list stays, with the list that replaced it.
  CREATE TABLE delegation_lists (
    id            INTEGER PRIMARY KEY,
    state         TEXT NOT NULL,
    reply_id      INTEGER REFERENCES replies (id),
    sha256        TEXT NOT NULL,
    source_name   TEXT,
    encoding      TEXT NOT NULL,
    delimiter     TEXT NOT NULL,
    warnings      TEXT NOT NULL DEFAULT '[]',
    imported_at   TEXT NOT NULL,
    superseded_by INTEGER REFERENCES delegation_lists (id)
  ) STRICT;
  CREATE UNIQUE INDEX delegation_lists_current ON delegation_lists (state) WHERE superseded_by IS NULL;

  CREATE TABLE participants (
    id            INTEGER PRIMARY KEY,
    list_id       INTEGER NOT NULL REFERENCES delegation_lists (id),
    position      INTEGER NOT NULL,
    line          INTEGER NOT NULL,
    honorific     TEXT NOT NULL,
    given_name    TEXT NOT NULL,
    family_name   TEXT NOT NULL,
    full_name     TEXT NOT NULL,
    title         TEXT NOT NULL,
    organization  TEXT NOT NULL,
    role          TEXT NOT NULL,
    email         TEXT NOT NULL,
    phone         TEXT NOT NULL,
    meetings      TEXT NOT NULL,
    UNIQUE (list_id, position)
  ) STRICT;
  `,
  `
  -- A reply the clerk took out of the counts (a README ingested from a folder, a file sent twice):
  -- its row, documents and archived bytes stay; when, who and why are kept here and in the audit log.
  ALTER TABLE replies ADD COLUMN removed_at TEXT;
  ALTER TABLE replies ADD COLUMN removed_by TEXT;
  ALTER TABLE replies ADD COLUMN removed_reason TEXT;
  `,
  `
  -- Messages that carry notes to their recipients (issue: dispatch): drafts (.eml) or SMTP.
  CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    note_id      INTEGER NOT NULL REFERENCES notes (id),
    recipient    TEXT NOT NULL,
    message_id   TEXT NOT NULL UNIQUE,
    "to"         TEXT NOT NULL,
    cc           TEXT NOT NULL DEFAULT '[]',
    subject      TEXT NOT NULL,
    channel      TEXT NOT NULL CHECK (channel IN ('drafts', 'smtp')),
    status       TEXT NOT NULL CHECK (status IN ('drafted', 'sending', 'sent', 'failed', 'bounced')),
    status_at    TEXT NOT NULL,
    server_reply TEXT,
    reason       TEXT,
    created_at   TEXT NOT NULL
  ) STRICT;
  CREATE INDEX messages_note ON messages (note_id);
  `,
  `
  -- The message nv dispatched that a reply answers (its thread: In-Reply-To, References), by Message-ID.
  ALTER TABLE replies ADD COLUMN answers_message TEXT REFERENCES messages (message_id);
  CREATE INDEX replies_answers ON replies (answers_message);
  `,
];
