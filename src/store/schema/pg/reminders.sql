-- Migration 3 (SQLite's 11, issue 26): where to reach an agency (its official addresses,
-- comma-separated, and the title a letter is addressed to) and the letters urging agencies
-- (`cchc remind`), each with the tasks it names and, once a mail server accepted it, to whom and
-- the message's id. security.sql grants members what the reminder rule lets them write.
ALTER TABLE agencies ADD COLUMN IF NOT EXISTS email TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE agencies ADD COLUMN IF NOT EXISTS addressee TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE TABLE IF NOT EXISTS reminders (
    id         BIGINT PRIMARY KEY,
    agency     TEXT COLLATE "C" NOT NULL REFERENCES agencies(code),
    period     TEXT COLLATE "C" NOT NULL,
    -- The ids of the tasks the letter names, comma-separated, overdue first.
    tasks      TEXT COLLATE "C" NOT NULL,
    respond_by TEXT COLLATE "C" NOT NULL,
    made_on    TEXT COLLATE "C" NOT NULL,
    made_by    TEXT COLLATE "C" NOT NULL,
    made_at    TEXT COLLATE "C" NOT NULL,
    mailed_to  TEXT COLLATE "C",
    mailed_at  TEXT COLLATE "C",
    message_id TEXT COLLATE "C"
);
CREATE INDEX IF NOT EXISTS reminders_by_agency ON reminders(agency, made_on);
