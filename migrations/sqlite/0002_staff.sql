-- Staff accounts, sign-in sessions and MFA, the queue's claims, notes,
-- transfers and canned replies, and the access log. Kept in step with
-- ../postgres/0002_staff.sql: same tables, columns and names.

CREATE TABLE staff_accounts (
    id                  TEXT PRIMARY KEY,
    -- Lower-cased, so one person cannot hold two accounts by case.
    email               TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('staff', 'admin')),
    -- Argon2id PHC string.
    password_hash       TEXT NOT NULL,
    -- 1 while the password is one someone else chose (a new or reset account).
    password_temporary  BIGINT NOT NULL,
    -- The TOTP secret, sealed with the data key; NULL until enrolment ends.
    totp_secret         TEXT,
    -- The secret offered during enrolment, sealed, until a code proves it.
    totp_pending        TEXT,
    -- Last TOTP time step accepted: a code is good once.
    totp_last_step      BIGINT NOT NULL,
    disabled_at         BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);

CREATE TABLE staff_departments (
    account_id  TEXT NOT NULL REFERENCES staff_accounts (id),
    department  TEXT NOT NULL,
    PRIMARY KEY (account_id, department)
);

CREATE TABLE recovery_codes (
    account_id  TEXT NOT NULL REFERENCES staff_accounts (id),
    -- SHA-256 of the code; the code itself is shown once.
    code_hash   TEXT NOT NULL,
    used_at     BIGINT,
    PRIMARY KEY (account_id, code_hash)
);

CREATE TABLE staff_sessions (
    -- SHA-256 of the cookie value; the value itself is never stored.
    token_hash    TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES staff_accounts (id),
    csrf_token    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL
);

-- Failed sign-ins per email, kept for unknown emails too, so a lockout
-- tells nobody whether an account exists.
CREATE TABLE sign_in_failures (
    email_key        TEXT PRIMARY KEY,
    failures         BIGINT NOT NULL,
    locked_until     BIGINT NOT NULL,
    last_failure_at  BIGINT NOT NULL
);

-- Who holds an inquiry and until when; the claim lapses at claim_expires_at.
ALTER TABLE inquiries ADD COLUMN claimed_by TEXT REFERENCES staff_accounts (id);
ALTER TABLE inquiries ADD COLUMN claim_expires_at BIGINT;
ALTER TABLE inquiries ADD COLUMN first_response_at BIGINT;
ALTER TABLE inquiries ADD COLUMN resolved_at BIGINT;

-- A staff reply names its author and the team they answered for.
ALTER TABLE messages ADD COLUMN author_id TEXT REFERENCES staff_accounts (id);
ALTER TABLE messages ADD COLUMN department TEXT;

-- The portal's id for a signed-in patient; NULL for anonymous visitors.
ALTER TABLE conversations ADD COLUMN patient_subject TEXT;

CREATE TABLE inquiry_notes (
    id          TEXT PRIMARY KEY,
    inquiry_id  TEXT NOT NULL REFERENCES inquiries (id),
    author_id   TEXT NOT NULL REFERENCES staff_accounts (id),
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE inquiry_events (
    id          TEXT PRIMARY KEY,
    inquiry_id  TEXT NOT NULL REFERENCES inquiries (id),
    actor_id    TEXT REFERENCES staff_accounts (id),
    action      TEXT NOT NULL,
    detail      TEXT,
    created_at  BIGINT NOT NULL
);

-- A transfer is a routing mistake a person corrected: kept for retraining.
CREATE TABLE routing_corrections (
    id               TEXT PRIMARY KEY,
    inquiry_id       TEXT NOT NULL REFERENCES inquiries (id),
    message_id       TEXT NOT NULL REFERENCES messages (id),
    from_department  TEXT NOT NULL,
    to_department    TEXT NOT NULL,
    reason           TEXT NOT NULL,
    account_id       TEXT NOT NULL REFERENCES staff_accounts (id),
    created_at       BIGINT NOT NULL
);

CREATE TABLE canned_responses (
    id          TEXT PRIMARY KEY,
    department  TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES staff_accounts (id),
    created_at  BIGINT NOT NULL
);

-- Every time a person opened patient data: who, what, when.
CREATE TABLE access_log (
    id               TEXT PRIMARY KEY,
    actor_id         TEXT NOT NULL,
    action           TEXT NOT NULL,
    conversation_id  TEXT,
    inquiry_id       TEXT,
    created_at       BIGINT NOT NULL
);

CREATE INDEX staff_sessions_by_account ON staff_sessions (account_id);
CREATE INDEX conversations_by_patient ON conversations (patient_subject, updated_at);
CREATE INDEX inquiry_notes_by_inquiry ON inquiry_notes (inquiry_id, created_at);
CREATE INDEX inquiry_events_by_inquiry ON inquiry_events (inquiry_id, created_at);
CREATE INDEX canned_by_department ON canned_responses (department);
CREATE INDEX access_log_by_conversation ON access_log (conversation_id, created_at);
