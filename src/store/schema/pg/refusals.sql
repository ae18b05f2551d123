-- Migration 2 (SQLite's 10, issue 22): refusals kept in the change log at most once a minute
-- per member: the member's last refused entry, and how many refusals since were not logged
-- (the next entry says so; doctor holds `entry` to the log). security.sql grants members what
-- they need of it. No foreign key: the change log takes none (TRUNCATE is its trigger's to refuse).
CREATE TABLE IF NOT EXISTS refusals (
    member   TEXT COLLATE "C" PRIMARY KEY,
    entry    BIGINT NOT NULL,
    at       TEXT COLLATE "C" NOT NULL,
    unlogged BIGINT NOT NULL DEFAULT 0
);
