-- Who may do what on a cchc database, enforced by the server (issue 13): the group roles,
-- their grants, and row-level security mirroring cchc's member rule (store/members.rs):
-- - a secretary may change anything and manages members, agencies, indicators and targets;
-- - a member may change the tasks their agency leads or coordinates, add tasks their agency
--   leads, add notes to the tasks they may change and record the indicators their agency
--   leads; never move a task's lead agency nor withdraw a task;
-- - a viewer, and a role with no row in `members`, may only read.
-- The acting member is the `members` row whose login is `session_user`: the identity the
-- server authenticated, which no client flag can change.
--
-- Idempotent: run after schema.sql and again on every `cchc init`, by the database's owner (a
-- superuser, or the owner with CREATEROLE the first time, as the group roles are cluster-wide).
-- Each run sets the grants and policies from scratch, so it also removes stale ones. The
-- caller owns the transaction. The owner bypasses row-level security: it is the administrator.

-- The group roles, shared by every cchc database of the cluster.
DO $$
DECLARE
    r TEXT;
BEGIN
    FOREACH r IN ARRAY ARRAY['cchc_secretary', 'cchc_member', 'cchc_viewer'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION
                -- Another init made it meanwhile.
                WHEN duplicate_object OR unique_violation THEN NULL;
                WHEN insufficient_privilege THEN
                    RAISE EXCEPTION 'the role % is missing and % may not create it: run security.sql once as a superuser or a role with CREATEROLE', r, current_user;
            END;
        END IF;
    END LOOP;
END $$;

-- ---------------------------------------------------------------------------------------------
-- The acting member, for the policies. SECURITY DEFINER so the rule reads `members` whatever
-- the caller's grants; matched as the store matches (login, else name).
CREATE OR REPLACE FUNCTION cchc_acting_member(OUT agency TEXT, OUT role TEXT)
RETURNS SETOF record LANGUAGE sql STABLE AS $$
    SELECT m.agency, m.role FROM members m WHERE coalesce(m.login, m.name) = session_user
$$;

-- May the acting member change a task led by `lead` and coordinated by `coordinating`?
CREATE OR REPLACE FUNCTION cchc_may_change_task(lead TEXT, coordinating TEXT)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM cchc_acting_member() m
        WHERE m.role = 'secretary'
           OR (m.role = 'member'
               AND (m.agency = lead
                    OR m.agency = ANY (string_to_array(replace(coordinating, ' ', ''), ',')))))
$$;

-- May the acting member add a task led by `lead`, or record an indicator it leads?
CREATE OR REPLACE FUNCTION cchc_may_lead(lead TEXT)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM cchc_acting_member() m
        WHERE m.role = 'secretary' OR (m.role = 'member' AND m.agency = lead))
$$;

-- May the acting member urge agencies (write a reminder, `cchc remind`)? The rule is `meta`
-- remind_by: 'secretary' (the default, also when unset), 'member' (any member), or
-- 'agency:CODE' (that agency's members); a secretary always may. Mirrors store/reminders.rs.
CREATE OR REPLACE FUNCTION cchc_may_remind()
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM cchc_acting_member() m
        WHERE m.role = 'secretary'
           OR (m.role = 'member'
               AND coalesce((SELECT x.value FROM meta x WHERE x.key = 'remind_by'), 'secretary')
                   IN ('member', 'agency:' || m.agency)))
$$;

-- What a policy cannot see: the row before an UPDATE. Only a secretary moves a task's lead
-- agency (a coordinating member would otherwise take the task from its lead) or withdraws a
-- task. Runs as the caller, so the owner, for whom row security is off, passes.
CREATE OR REPLACE FUNCTION cchc_task_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT row_security_active(TG_RELID)
       OR EXISTS (SELECT 1 FROM cchc_acting_member() m WHERE m.role = 'secretary') THEN
        RETURN NEW;
    END IF;
    IF NEW.lead_agency IS DISTINCT FROM OLD.lead_agency THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('%s may not move the lead of task %s from %s to %s: only a secretary may change a task''s lead agency',
                             session_user, OLD.id, OLD.lead_agency, NEW.lead_agency);
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = format('%s may not withdraw or restore task %s: only a secretary may',
                         session_user, OLD.id);
END $$;
CREATE OR REPLACE TRIGGER tasks_member_guard BEFORE UPDATE OF lead_agency, withdrawn_on ON tasks
    FOR EACH ROW WHEN (NEW.lead_agency IS DISTINCT FROM OLD.lead_agency
                       OR NEW.withdrawn_on IS DISTINCT FROM OLD.withdrawn_on)
    EXECUTE FUNCTION cchc_task_guard();

-- The bookkeeping the triggers do (tally, moves, search marks, notify) runs as the owner, so
-- members need no grants on those tables; a fixed search_path with pg_temp last, so a member's
-- temporary table named like one of them cannot take the owner's writes.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOREACH f IN ARRAY ARRAY[
        'cchc_acting_member()', 'cchc_tally_move(text,text,text,bigint,bigint)',
        'cchc_tally_insert()', 'cchc_tally_delete()', 'cchc_tally_update()',
        'cchc_tally_moves_prune()', 'cchc_search_stale_task()', 'cchc_search_stale_note()',
        'cchc_search_stale_agency()', 'cchc_change_log_notify()',
        'cchc_ids_caught_up()']::regprocedure[] LOOP
        EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = %I, pg_temp',
                       f, current_schema());
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
    -- The rule's helpers run as the caller and also need the schema on their path.
    FOREACH f IN ARRAY ARRAY['cchc_may_change_task(text,text)', 'cchc_may_lead(text)',
                             'cchc_may_remind()', 'cchc_task_guard()',
                             'cchc_change_log_append_only()'
                            ]::regprocedure[] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO cchc_secretary, cchc_member, cchc_viewer',
                   current_schema());
END $$;
GRANT EXECUTE ON FUNCTION cchc_acting_member(), cchc_may_change_task(text, text),
    cchc_may_lead(text), cchc_may_remind() TO cchc_secretary, cchc_member, cchc_viewer;

-- ---------------------------------------------------------------------------------------------
-- Grants, from nothing on each run.
REVOKE ALL ON meta, areas, agencies, indicators, targets, measurements, tasks, notes,
    change_log, members, task_tally, task_search_text, task_search_stale, task_tally_moves,
    refusals, reminders
    FROM PUBLIC, cchc_secretary, cchc_member, cchc_viewer;
REVOKE ALL ON SEQUENCE measurements_id_seq, tasks_id_seq, notes_id_seq, change_log_id_seq,
    task_tally_moves_id_seq FROM PUBLIC, cchc_secretary, cchc_member, cchc_viewer;

-- Everyone reads everything.
GRANT SELECT ON meta, areas, agencies, indicators, targets, measurements, tasks, notes,
    change_log, members, task_tally, task_search_text, task_search_stale, task_tally_moves,
    refusals, reminders
    TO cchc_secretary, cchc_member, cchc_viewer;

-- A member's writes: tasks (rows limited by the policies below), notes and measurements
-- (records: added, never rewritten), the change log (appended only: nobody but the owner may
-- UPDATE, DELETE or TRUNCATE it). The search text is refreshed by the writer in its own
-- transaction from text folded in Rust; it is derived data, never trusted for a result.
GRANT INSERT, UPDATE ON tasks TO cchc_secretary, cchc_member;
GRANT INSERT ON notes, measurements, change_log TO cchc_secretary, cchc_member;
-- A refusal is logged at most once a minute per member; the count between is kept here.
GRANT INSERT, UPDATE ON refusals TO cchc_secretary, cchc_member;
GRANT INSERT, UPDATE, DELETE ON task_search_text, task_search_stale
    TO cchc_secretary, cchc_member;
GRANT USAGE, SELECT ON SEQUENCE measurements_id_seq, tasks_id_seq, notes_id_seq,
    change_log_id_seq TO cchc_secretary, cchc_member;

-- A secretary's: the working group and the plan's agencies and indicators, and who may urge
-- agencies (the one `meta` row a secretary writes: the policies below keep the others).
GRANT INSERT, UPDATE, DELETE ON members TO cchc_secretary;
GRANT INSERT, UPDATE ON agencies, indicators, targets TO cchc_secretary;
GRANT INSERT, UPDATE ON meta TO cchc_secretary;
-- The letters urging agencies, and their mail: whoever the reminder rule lets (policies below).
GRANT INSERT, UPDATE ON reminders TO cchc_secretary, cchc_member;

-- ---------------------------------------------------------------------------------------------
-- Row-level security: reads are open to every cchc role; writes follow the rule. Not FORCEd:
-- the owner administers.
ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE measurements ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS tasks_read ON tasks;
CREATE POLICY tasks_read ON tasks FOR SELECT
    TO cchc_secretary, cchc_member, cchc_viewer USING (true);
DROP POLICY IF EXISTS tasks_add ON tasks;
CREATE POLICY tasks_add ON tasks FOR INSERT
    TO cchc_secretary, cchc_member WITH CHECK (cchc_may_lead(lead_agency));
-- USING: the row as it was (another agency's task is not found: 0 rows); WITH CHECK: as it
-- becomes (a member may not hand a task out of their agency's reach).
DROP POLICY IF EXISTS tasks_change ON tasks;
CREATE POLICY tasks_change ON tasks FOR UPDATE
    TO cchc_secretary, cchc_member
    USING (cchc_may_change_task(lead_agency, coordinating))
    WITH CHECK (cchc_may_change_task(lead_agency, coordinating));

DROP POLICY IF EXISTS notes_read ON notes;
CREATE POLICY notes_read ON notes FOR SELECT
    TO cchc_secretary, cchc_member, cchc_viewer USING (true);
DROP POLICY IF EXISTS notes_add ON notes;
CREATE POLICY notes_add ON notes FOR INSERT
    TO cchc_secretary, cchc_member
    WITH CHECK (EXISTS (SELECT 1 FROM tasks t
        WHERE t.id = task_id AND cchc_may_change_task(t.lead_agency, t.coordinating)));

DROP POLICY IF EXISTS measurements_read ON measurements;
CREATE POLICY measurements_read ON measurements FOR SELECT
    TO cchc_secretary, cchc_member, cchc_viewer USING (true);
DROP POLICY IF EXISTS measurements_add ON measurements;
CREATE POLICY measurements_add ON measurements FOR INSERT
    TO cchc_secretary, cchc_member
    WITH CHECK (EXISTS (SELECT 1 FROM indicators i
        WHERE i.code = indicator AND cchc_may_lead(i.lead_agency)));

ALTER TABLE reminders ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS reminders_read ON reminders;
CREATE POLICY reminders_read ON reminders FOR SELECT
    TO cchc_secretary, cchc_member, cchc_viewer USING (true);
DROP POLICY IF EXISTS reminders_add ON reminders;
CREATE POLICY reminders_add ON reminders FOR INSERT
    TO cchc_secretary, cchc_member WITH CHECK (cchc_may_remind());
DROP POLICY IF EXISTS reminders_mail ON reminders;
CREATE POLICY reminders_mail ON reminders FOR UPDATE
    TO cchc_secretary, cchc_member
    USING (cchc_may_remind()) WITH CHECK (cchc_may_remind());

-- `meta`: read by everyone; a secretary writes only the reminder rule (the file id and the time
-- zone are the owner's).
ALTER TABLE meta ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS meta_read ON meta;
CREATE POLICY meta_read ON meta FOR SELECT
    TO cchc_secretary, cchc_member, cchc_viewer USING (true);
DROP POLICY IF EXISTS meta_remind_rule ON meta;
CREATE POLICY meta_remind_rule ON meta FOR ALL
    TO cchc_secretary USING (key = 'remind_by') WITH CHECK (key = 'remind_by');
