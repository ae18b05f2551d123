-- SQLite functions the store's shared statements use, under their SQLite names, so one
-- statement text serves both engines.

-- A JSON array's elements as rows of text (`id IN (SELECT CAST(value AS BIGINT) FROM
-- json_each(?1))`); SQLite's has more columns, the store reads only `value`.
CREATE FUNCTION json_each(list TEXT) RETURNS TABLE (value TEXT)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT json_array_elements_text(list::json) $$;

-- The 1-based position of `needle` in `haystack`, 0 when absent.
CREATE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS BIGINT
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT strpos(haystack, needle)::bigint $$;

-- SQLite's group_concat(text, separator), NULLs skipped, in the order rows arrive.
CREATE FUNCTION cchc_group_concat_step(acc TEXT, item TEXT, sep TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN item IS NULL THEN acc WHEN acc IS NULL THEN item
                      ELSE acc || sep || item END $$;
CREATE AGGREGATE group_concat(TEXT, TEXT) (SFUNC = cchc_group_concat_step, STYPE = TEXT);
