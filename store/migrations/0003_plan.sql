-- Carebook schema 3: what the daily planner (PRODUCT.md §2, §3) reads, kept narrow so that the
-- plan of a day is one pass over small rows, never over the wide customer rows or the records.
--
-- plan_state holds, per customer, what the rules test and the items show: code, name, remark;
-- tier as its rank (0 vip … 3 small), gender (0 unknown, 1 male, 2 female), do-not-disturb,
-- archived, the created day; and the history summed up: the latest record (greatest at, then
-- greatest id) with its next date and next step, the day of the latest recall record and of the
-- latest purchase. Days are Unix day numbers and last_at Unix seconds of the record's wall clock.
-- Triggers keep it right on every write; the bulk inserts suspend the record and purchase
-- triggers and refresh the rows they touched at once (store/plan.go). Everything here is derived
-- from the other tables and can be rebuilt.
--
-- line is the whole row as one text, which is all the planner reads: through the SQLite driver
-- every column of every row costs about as much as the row itself, and a plan reads most of the
-- 100,000 rows of a big book. It is, in lower-case hex separated by spaces (negative numbers as
-- 64-bit two's complement): customer_id, tier, gender, dnd, created, a mask of what is set
-- (1 last record, 2 its next date, 4 last recall, 8 last purchase), last_at, last_id, last_next,
-- last_recall, last_purchase, the byte lengths of code, name and remark; then '|', code, name,
-- remark and last_next_step, back to back (store/plan.go: parsePlanLine).
CREATE TABLE plan_state (
    customer_id    INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    code           TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    remark         TEXT    NOT NULL,
    tier           INTEGER NOT NULL,
    gender         INTEGER NOT NULL,
    dnd            INTEGER NOT NULL,
    archived       INTEGER NOT NULL,
    created        INTEGER NOT NULL,
    last_at        INTEGER,
    last_id        INTEGER,
    last_next      INTEGER,
    last_next_step TEXT,
    last_recall    INTEGER,
    last_purchase  INTEGER,
    line           TEXT    NOT NULL GENERATED ALWAYS AS (printf('%x %x %x %x %x %x %x %x %x %x %x %x %x %x|%s%s%s%s',
        customer_id, tier, gender, dnd, created,
        (last_id IS NOT NULL) + 2 * (last_next IS NOT NULL) + 4 * (last_recall IS NOT NULL) + 8 * (last_purchase IS NOT NULL),
        last_at, last_id, last_next, last_recall, last_purchase,
        octet_length(code), octet_length(name), octet_length(remark),
        code, name, remark, coalesce(last_next_step, ''))) STORED
);

-- The latest recall record of a customer (as of any day) in one step: the triggers and the plan
-- of a past day look it up; only recall records are in it.
CREATE INDEX records_recall ON records (customer_id, at) WHERE kind = 'recall';

INSERT INTO plan_state (customer_id, code, name, remark, tier, gender, dnd, archived, created)
    SELECT id, code, name, remark,
        CASE tier WHEN 'vip' THEN 0 WHEN 'major' THEN 1 WHEN 'ordinary' THEN 2 ELSE 3 END,
        CASE gender WHEN 'male' THEN 1 WHEN 'female' THEN 2 ELSE 0 END,
        dnd, archived_at IS NOT NULL, unixepoch(created) / 86400
    FROM customers;
UPDATE plan_state SET
    (last_at, last_id, last_next, last_next_step) = (SELECT unixepoch(at), id, unixepoch(next_date) / 86400, next_step
        FROM records WHERE customer_id = plan_state.customer_id ORDER BY at DESC, id DESC LIMIT 1),
    last_recall = (SELECT unixepoch(substr(max(at), 1, 10)) / 86400 FROM records
        WHERE customer_id = plan_state.customer_id AND kind = 'recall'),
    last_purchase = (SELECT unixepoch(max(date)) / 86400 FROM purchases WHERE customer_id = plan_state.customer_id);

CREATE TRIGGER plan_customer_insert AFTER INSERT ON customers BEGIN
    INSERT INTO plan_state (customer_id, code, name, remark, tier, gender, dnd, archived, created)
        VALUES (new.id, new.code, new.name, new.remark,
            CASE new.tier WHEN 'vip' THEN 0 WHEN 'major' THEN 1 WHEN 'ordinary' THEN 2 ELSE 3 END,
            CASE new.gender WHEN 'male' THEN 1 WHEN 'female' THEN 2 ELSE 0 END,
            new.dnd, new.archived_at IS NOT NULL, unixepoch(new.created) / 86400);
END;
CREATE TRIGGER plan_customer_update AFTER UPDATE OF code, name, remark, tier, dnd, gender, created, archived_at ON customers BEGIN
    UPDATE plan_state SET code = new.code, name = new.name, remark = new.remark,
        tier = CASE new.tier WHEN 'vip' THEN 0 WHEN 'major' THEN 1 WHEN 'ordinary' THEN 2 ELSE 3 END,
        gender = CASE new.gender WHEN 'male' THEN 1 WHEN 'female' THEN 2 ELSE 0 END,
        dnd = new.dnd, archived = new.archived_at IS NOT NULL, created = unixepoch(new.created) / 86400
        WHERE customer_id = new.id;
END;

CREATE TRIGGER plan_record_insert AFTER INSERT ON records BEGIN
    UPDATE plan_state SET last_at = unixepoch(new.at), last_id = new.id,
            last_next = unixepoch(new.next_date) / 86400, last_next_step = new.next_step
        WHERE customer_id = new.customer_id
        AND (last_at IS NULL OR unixepoch(new.at) > last_at OR (unixepoch(new.at) = last_at AND new.id > last_id));
    UPDATE plan_state SET last_recall = unixepoch(substr(new.at, 1, 10)) / 86400
        WHERE new.kind = 'recall' AND customer_id = new.customer_id
        AND (last_recall IS NULL OR unixepoch(substr(new.at, 1, 10)) / 86400 > last_recall);
END;
CREATE TRIGGER plan_record_update AFTER UPDATE OF customer_id, at, kind, next_date, next_step ON records BEGIN
    UPDATE plan_state SET
        (last_at, last_id, last_next, last_next_step) = (SELECT unixepoch(at), id, unixepoch(next_date) / 86400, next_step
            FROM records WHERE customer_id = plan_state.customer_id ORDER BY at DESC, id DESC LIMIT 1),
        last_recall = (SELECT unixepoch(substr(max(at), 1, 10)) / 86400 FROM records
            WHERE customer_id = plan_state.customer_id AND kind = 'recall')
        WHERE customer_id IN (old.customer_id, new.customer_id);
END;
CREATE TRIGGER plan_record_delete AFTER DELETE ON records BEGIN
    UPDATE plan_state SET
        (last_at, last_id, last_next, last_next_step) = (SELECT unixepoch(at), id, unixepoch(next_date) / 86400, next_step
            FROM records WHERE customer_id = plan_state.customer_id ORDER BY at DESC, id DESC LIMIT 1),
        last_recall = (SELECT unixepoch(substr(max(at), 1, 10)) / 86400 FROM records
            WHERE customer_id = plan_state.customer_id AND kind = 'recall')
        WHERE customer_id = old.customer_id;
END;

CREATE TRIGGER plan_purchase_insert AFTER INSERT ON purchases BEGIN
    UPDATE plan_state SET last_purchase = unixepoch(new.date) / 86400
        WHERE customer_id = new.customer_id AND (last_purchase IS NULL OR unixepoch(new.date) / 86400 > last_purchase);
END;
CREATE TRIGGER plan_purchase_update AFTER UPDATE OF customer_id, date ON purchases BEGIN
    UPDATE plan_state SET last_purchase = (SELECT unixepoch(max(date)) / 86400 FROM purchases
            WHERE customer_id = plan_state.customer_id)
        WHERE customer_id IN (old.customer_id, new.customer_id);
END;
CREATE TRIGGER plan_purchase_delete AFTER DELETE ON purchases BEGIN
    UPDATE plan_state SET last_purchase = (SELECT unixepoch(max(date)) / 86400 FROM purchases
            WHERE customer_id = plan_state.customer_id)
        WHERE customer_id = old.customer_id;
END;

-- Important dates are read by month (and day): those that may occur in the planned window.
CREATE INDEX important_dates_month ON important_dates (calendar, month, day);
