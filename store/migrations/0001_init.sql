-- Carebook schema 1: the whole book of PRODUCT.md §1.
--
-- Conventions
--   * Dates are local calendar dates as text 'YYYY-MM-DD'; record times are local date-times
--     'YYYY-MM-DD HH:MM:SS'. Both sort and compare as text.
--   * created_at / updated_at are UTC instants 'YYYY-MM-DDTHH:MM:SS.SSSZ', written by the store
--     (the defaults only catch rows written by hand).
--   * Money is INTEGER fen. Enumerations are lower-case English keys checked here; the UI
--     translates them.
--   * Every row that belongs to a customer goes with it: ON DELETE CASCADE (a purge). Deleting
--     a customer in the product is an archive (customers.archived_at), not a DELETE.

CREATE TABLE customers (
    id           INTEGER PRIMARY KEY,
    code         TEXT    NOT NULL UNIQUE CHECK (code <> ''),
    name         TEXT    NOT NULL CHECK (name <> ''),
    remark       TEXT    NOT NULL DEFAULT '',
    gender       TEXT    NOT NULL DEFAULT 'unknown' CHECK (gender IN ('unknown', 'male', 'female')),
    wechat       TEXT    NOT NULL DEFAULT '',
    email        TEXT    NOT NULL DEFAULT '',
    address      TEXT    NOT NULL DEFAULT '',
    company      TEXT    NOT NULL DEFAULT '',
    title        TEXT    NOT NULL DEFAULT '',
    source       TEXT    NOT NULL DEFAULT '',
    needs        TEXT    NOT NULL DEFAULT '',
    latent_needs TEXT    NOT NULL DEFAULT '',
    preferences  TEXT    NOT NULL DEFAULT '',
    interests    TEXT    NOT NULL DEFAULT '',
    notes        TEXT    NOT NULL DEFAULT '',
    tier         TEXT    NOT NULL DEFAULT 'ordinary' CHECK (tier IN ('vip', 'major', 'ordinary', 'small')),
    dnd          INTEGER NOT NULL DEFAULT 0 CHECK (dnd IN (0, 1)),
    knowing      INTEGER NOT NULL DEFAULT 0 CHECK (knowing BETWEEN 0 AND 5),
    closeness    INTEGER NOT NULL DEFAULT 0 CHECK (closeness BETWEEN 0 AND 5),
    loyalty      INTEGER NOT NULL DEFAULT 0 CHECK (loyalty BETWEEN 0 AND 5),
    created      TEXT    NOT NULL CHECK (created GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    archived_at  TEXT,  -- NULL: active; else when it was archived (UTC instant)
    search_key   TEXT    NOT NULL DEFAULT '',  -- crm.SearchKey
    name_sort    TEXT    NOT NULL DEFAULT '',  -- pinyin of the display name, for ordering
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Phones in the order the user typed them (pos 0 is the main one). e164 is '+8613812345678';
-- national is the number without the country code for Chinese numbers ('13812345678'), else
-- the E.164 digits without '+'. national is indexed: it finds a number typed without the
-- country code, and a full number too (national = its national digits AND e164 = it).
CREATE TABLE customer_phones (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    pos         INTEGER NOT NULL CHECK (pos >= 0),
    e164        TEXT    NOT NULL CHECK (e164 GLOB '+[1-9]*'),
    national    TEXT    NOT NULL CHECK (national <> ''),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (customer_id, pos)
) WITHOUT ROWID;
CREATE INDEX customer_phones_national ON customer_phones (national);

-- Tags (分组标签), in the user's order.
CREATE TABLE customer_tags (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    tag         TEXT    NOT NULL CHECK (tag <> ''),
    pos         INTEGER NOT NULL CHECK (pos >= 0),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (customer_id, tag)
) WITHOUT ROWID;
CREATE INDEX customer_tags_tag ON customer_tags (tag, customer_id);

-- The birthday (kind 'birthday', at most one, normally without a label) and the other important
-- dates (kind 'other', with a label, in the user's order: pos). year NULL: unknown. leap: the
-- date lies in the lunar leap month (闰月) of month.
CREATE TABLE important_dates (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('birthday', 'other')),
    pos         INTEGER NOT NULL DEFAULT 0 CHECK (pos >= 0),
    label       TEXT    NOT NULL DEFAULT '',
    calendar    TEXT    NOT NULL CHECK (calendar IN ('solar', 'lunar')),
    year        INTEGER CHECK (year IS NULL OR year BETWEEN 1 AND 9999),
    month       INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day         INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31 AND (calendar = 'solar' OR day <= 30)),
    leap        INTEGER NOT NULL DEFAULT 0 CHECK (leap IN (0, 1) AND (leap = 0 OR calendar = 'lunar')),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX important_dates_customer ON important_dates (customer_id, kind, pos);
CREATE UNIQUE INDEX important_dates_one_birthday ON important_dates (customer_id) WHERE kind = 'birthday';

-- Purchases (消费记录).
CREATE TABLE purchases (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    date        TEXT    NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
    items       TEXT    NOT NULL DEFAULT '',
    channel     TEXT    NOT NULL DEFAULT 'offline' CHECK (channel IN ('online', 'offline')),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX purchases_customer_date ON purchases (customer_id, date);
CREATE INDEX purchases_date ON purchases (date);

-- Maintenance records (维护记录): the sheet exported to Excel. at is the local date-time;
-- date is its day (computed, for range filters on whole days).
CREATE TABLE records (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    at          TEXT    NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'),
    date        TEXT    GENERATED ALWAYS AS (substr(at, 1, 10)) VIRTUAL,
    kind        TEXT    NOT NULL CHECK (kind IN ('routine', 'greeting', 'invitation', 'service', 'complaint', 'recall', 'other')),
    channel     TEXT    NOT NULL CHECK (channel IN ('phone', 'sms', 'wechat', 'visit', 'email', 'other')),
    content     TEXT    NOT NULL DEFAULT '',
    feedback    TEXT    NOT NULL DEFAULT '',
    next_step   TEXT    NOT NULL DEFAULT '',
    next_date   TEXT    CHECK (next_date IS NULL OR next_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX records_customer_at ON records (customer_id, at);
CREATE INDEX records_at ON records (at);
CREATE INDEX records_kind_at ON records (kind, at);

-- Events (活动) for invitations. audience is a JSON object
-- {"tags": [...], "tiers": [...], "stages": [...], "segments": [...]}; empty lists (or {}) mean
-- everyone. window_days: invitations are planned from date − window_days.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL CHECK (name <> ''),
    date        TEXT    NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    purpose     TEXT    NOT NULL DEFAULT '',
    script      TEXT    NOT NULL DEFAULT '',
    audience    TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(audience) AND json_type(audience) = 'object'),
    window_days INTEGER NOT NULL DEFAULT 7 CHECK (window_days BETWEEN 0 AND 366),
    notes       TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX events_date ON events (date);

-- Invitations: one per event and customer.
CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    status      TEXT    NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'accepted', 'declined', 'attended', 'no_show')),
    date        TEXT    CHECK (date IS NULL OR date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),  -- day invited
    note        TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (event_id, customer_id)
);
CREATE INDEX invitations_customer ON invitations (customer_id);

-- Service appointments (服务).
CREATE TABLE services (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    date        TEXT    NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    kind        TEXT    NOT NULL CHECK (kind IN ('online', 'offline', 'after_sales')),
    title       TEXT    NOT NULL CHECK (title <> ''),
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    done_date   TEXT    CHECK (done_date IS NULL OR done_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    notes       TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX services_customer_date ON services (customer_id, date);
CREATE INDEX services_status_date ON services (status, date);

-- Complaints (客诉). closed NULL: still open. satisfaction 0: not asked yet.
CREATE TABLE complaints (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    received     TEXT    NOT NULL CHECK (received GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    channel      TEXT    NOT NULL DEFAULT 'other' CHECK (channel IN ('phone', 'sms', 'wechat', 'visit', 'email', 'other')),
    category     TEXT    NOT NULL CHECK (category IN ('urgent', 'batch', 'difficult', 'malicious')),
    severity     TEXT    NOT NULL CHECK (severity IN ('simple', 'general', 'complex')),
    description  TEXT    NOT NULL DEFAULT '',
    resolution   TEXT    NOT NULL DEFAULT '',
    satisfaction INTEGER NOT NULL DEFAULT 0 CHECK (satisfaction BETWEEN 0 AND 5),
    closed       TEXT    CHECK (closed IS NULL OR (closed GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND closed >= received)),
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX complaints_customer_received ON complaints (customer_id, received);
CREATE INDEX complaints_open ON complaints (received) WHERE closed IS NULL;

-- The five steps of complaint handling, each done on a date with a note; follow_up repeats.
CREATE TABLE complaint_steps (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    step         TEXT    NOT NULL CHECK (step IN ('listen', 'empathise', 'clarify', 'agree', 'follow_up')),
    date         TEXT    NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note         TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX complaint_steps_complaint ON complaint_steps (complaint_id, date);

-- Message templates (话术) per reason ('purchase_thanks', 'holiday', 'birthday', 'invitation',
-- 'recall', …) and language ('zh-Hans', 'zh-Hant', 'en'); name tells several apart.
CREATE TABLE templates (
    id         INTEGER PRIMARY KEY,
    reason     TEXT    NOT NULL CHECK (reason <> ''),
    lang       TEXT    NOT NULL CHECK (lang <> ''),
    name       TEXT    NOT NULL DEFAULT '',
    body       TEXT    NOT NULL,
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (reason, lang, name)
);

-- Settings: every rule number, holiday switches, language… as text values.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY CHECK (key <> ''),
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) WITHOUT ROWID;

-- The working-day calendar for complaint deadlines: days that differ from "Monday–Friday work,
-- weekends off". off = 1: a day off (public holiday); off = 0: a make-up working day (调休上班).
CREATE TABLE calendar_days (
    date       TEXT    PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    off        INTEGER NOT NULL CHECK (off IN (0, 1)),
    name       TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) WITHOUT ROWID;

-- Planner items put off to a later day. reason is the item's reason ('routine', 'birthday',
-- 'holiday', 'event', …); ref tells items of one reason apart (a purchase id and step, a date
-- id, a holiday key, an event id…).
CREATE TABLE snoozes (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    reason      TEXT    NOT NULL CHECK (reason <> ''),
    ref         TEXT    NOT NULL DEFAULT '',
    until       TEXT    NOT NULL CHECK (until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (customer_id, reason, ref)
);
CREATE INDEX snoozes_until ON snoozes (until);
