-- Carebook schema 2: what the maintenance record sheet and the export need to stay instant at
-- millions of records.

-- record_counts counts the maintenance records of each day, kind and channel. It is derived
-- data, like an index (no created/updated stamps): the triggers below keep it exact in the same
-- transaction as every write to records, cascades of a purge included. The store reads it (a
-- few ten thousand rows at most) to count the records a filter of the sheet selects, and to turn
-- a deep offset into the one day where the asked-for page starts.
CREATE TABLE record_counts (
    date    TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    channel TEXT    NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (date, kind, channel)
) WITHOUT ROWID;

INSERT INTO record_counts (date, kind, channel, n)
    SELECT date, kind, channel, count(*) FROM records GROUP BY date, kind, channel;

CREATE TRIGGER records_count_insert AFTER INSERT ON records
BEGIN
    INSERT INTO record_counts (date, kind, channel, n) VALUES (NEW.date, NEW.kind, NEW.channel, 1)
        ON CONFLICT (date, kind, channel) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER records_count_delete AFTER DELETE ON records
BEGIN
    UPDATE record_counts SET n = n - 1 WHERE date = OLD.date AND kind = OLD.kind AND channel = OLD.channel;
END;

CREATE TRIGGER records_count_update AFTER UPDATE OF at, kind, channel ON records
    WHEN OLD.date <> NEW.date OR OLD.kind <> NEW.kind OR OLD.channel <> NEW.channel
BEGIN
    UPDATE record_counts SET n = n - 1 WHERE date = OLD.date AND kind = OLD.kind AND channel = OLD.channel;
    INSERT INTO record_counts (date, kind, channel, n) VALUES (NEW.date, NEW.kind, NEW.channel, 1)
        ON CONFLICT (date, kind, channel) DO UPDATE SET n = n + 1;
END;

-- The sheet's index: records in the sheet's order (date-time, then id), with what its filters
-- look at, so that skipping the records of a day before a page never reads the table. It orders
-- the export too, and replaces records_at, its prefix.
CREATE INDEX records_sheet ON records (at, id, kind, channel, customer_id);
DROP INDEX records_at;

-- The archived customers, found without scanning every card: their records and purchases are
-- left out of the record sheet and the export.
CREATE INDEX customers_archived ON customers (id) WHERE archived_at IS NOT NULL;
