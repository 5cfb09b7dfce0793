-- Carebook schema 3: what the daily planner (PRODUCT.md §2, §3) reads, kept narrow so that the
-- plan of a day is a few index scans, never a pass over the wide customer rows or the records.
--
-- plan_state holds, per customer, the card fields the rules test and the items name and the history summed up:
-- the latest record (greatest at, then greatest id) with its next date and step, the latest
-- recall record and the latest purchase. Triggers keep it right on every write; the bulk inserts
-- suspend the record and purchase triggers and refresh the rows they touched at once
-- (store/plan.go). Everything here is derived: it can be rebuilt from the other tables.
CREATE TABLE plan_state (
    customer_id    INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    code           TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    remark         TEXT    NOT NULL,
    tier           TEXT    NOT NULL,
    dnd            INTEGER NOT NULL,
    gender         TEXT    NOT NULL,
    created        TEXT    NOT NULL,
    archived       INTEGER NOT NULL,
    last_at        TEXT,
    last_id        INTEGER,
    last_next      TEXT,
    last_next_step TEXT,
    last_recall    TEXT,
    last_purchase  TEXT
);
CREATE INDEX plan_state_next ON plan_state (last_next) WHERE last_next IS NOT NULL;

INSERT INTO plan_state (customer_id, code, name, remark, tier, dnd, gender, created, archived)
    SELECT id, code, name, remark, tier, dnd, gender, created, archived_at IS NOT NULL FROM customers;
UPDATE plan_state SET
    (last_at, last_id, last_next, last_next_step) = (SELECT at, id, next_date, next_step FROM records
        WHERE customer_id = plan_state.customer_id ORDER BY at DESC, id DESC LIMIT 1),
    last_recall = (SELECT max(at) FROM records WHERE customer_id = plan_state.customer_id AND kind = 'recall'),
    last_purchase = (SELECT max(date) FROM purchases WHERE customer_id = plan_state.customer_id);

CREATE TRIGGER plan_customer_insert AFTER INSERT ON customers BEGIN
    INSERT INTO plan_state (customer_id, code, name, remark, tier, dnd, gender, created, archived)
        VALUES (new.id, new.code, new.name, new.remark, new.tier, new.dnd, new.gender, new.created, new.archived_at IS NOT NULL);
END;
CREATE TRIGGER plan_customer_update AFTER UPDATE OF code, name, remark, tier, dnd, gender, created, archived_at ON customers BEGIN
    UPDATE plan_state SET code = new.code, name = new.name, remark = new.remark, tier = new.tier, dnd = new.dnd, gender = new.gender, created = new.created,
        archived = new.archived_at IS NOT NULL WHERE customer_id = new.id;
END;

CREATE TRIGGER plan_record_insert AFTER INSERT ON records BEGIN
    UPDATE plan_state SET last_at = new.at, last_id = new.id, last_next = new.next_date, last_next_step = new.next_step
        WHERE customer_id = new.customer_id
        AND (last_at IS NULL OR new.at > last_at OR (new.at = last_at AND new.id > last_id));
    UPDATE plan_state SET last_recall = new.at
        WHERE new.kind = 'recall' AND customer_id = new.customer_id AND (last_recall IS NULL OR new.at > last_recall);
END;
CREATE TRIGGER plan_record_update AFTER UPDATE ON records BEGIN
    UPDATE plan_state SET
        (last_at, last_id, last_next, last_next_step) = (SELECT at, id, next_date, next_step FROM records
            WHERE customer_id = plan_state.customer_id ORDER BY at DESC, id DESC LIMIT 1),
        last_recall = (SELECT max(at) FROM records WHERE customer_id = plan_state.customer_id AND kind = 'recall')
        WHERE customer_id IN (old.customer_id, new.customer_id);
END;
CREATE TRIGGER plan_record_delete AFTER DELETE ON records BEGIN
    UPDATE plan_state SET
        (last_at, last_id, last_next, last_next_step) = (SELECT at, id, next_date, next_step FROM records
            WHERE customer_id = plan_state.customer_id ORDER BY at DESC, id DESC LIMIT 1),
        last_recall = (SELECT max(at) FROM records WHERE customer_id = plan_state.customer_id AND kind = 'recall')
        WHERE customer_id = old.customer_id;
END;

CREATE TRIGGER plan_purchase_insert AFTER INSERT ON purchases BEGIN
    UPDATE plan_state SET last_purchase = new.date
        WHERE customer_id = new.customer_id AND (last_purchase IS NULL OR new.date > last_purchase);
END;
CREATE TRIGGER plan_purchase_update AFTER UPDATE OF customer_id, date ON purchases BEGIN
    UPDATE plan_state SET last_purchase = (SELECT max(date) FROM purchases WHERE customer_id = plan_state.customer_id)
        WHERE customer_id IN (old.customer_id, new.customer_id);
END;
CREATE TRIGGER plan_purchase_delete AFTER DELETE ON purchases BEGIN
    UPDATE plan_state SET last_purchase = (SELECT max(date) FROM purchases WHERE customer_id = plan_state.customer_id)
        WHERE customer_id = old.customer_id;
END;

-- Important dates are read by month: those whose month the planned window touches.
CREATE INDEX important_dates_month ON important_dates (calendar, month);
