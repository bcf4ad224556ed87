-- Conversations, their messages, the decision behind each reply, and the
-- inquiries queued for departments. Kept in step with
-- ../postgres/0001_chat.sql: same tables, columns and names.

CREATE TABLE conversations (
    id          TEXT PRIMARY KEY,
    -- SHA-256 of the bearer token; the token itself is never stored.
    token_hash  TEXT NOT NULL,
    -- What the next message may refer to (pending choices, last topic), JSON.
    state       TEXT NOT NULL,
    -- Bumped by every turn: a turn saves only over the state it read.
    version     BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE messages (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations (id),
    seq              BIGINT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('patient', 'assistant', 'staff')),
    kind             TEXT,
    body             TEXT NOT NULL,
    -- Knowledge sources of an answer, JSON.
    sources          TEXT,
    created_at       BIGINT NOT NULL,
    UNIQUE (conversation_id, seq)
);

CREATE TABLE routing_decisions (
    message_id       TEXT PRIMARY KEY REFERENCES messages (id),
    kind             TEXT NOT NULL,
    urgent_category  TEXT,
    department       TEXT,
    confidence       REAL NOT NULL,
    abstain          TEXT,
    -- Top departments with their probabilities, JSON.
    alternatives     TEXT NOT NULL,
    knowledge_id     TEXT,
    knowledge_score  REAL,
    created_at       BIGINT NOT NULL
);

CREATE TABLE inquiries (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations (id),
    message_id       TEXT NOT NULL REFERENCES messages (id),
    department       TEXT NOT NULL,
    priority         TEXT NOT NULL CHECK (priority IN ('urgent', 'normal')),
    status           TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'resolved')),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);

CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);
CREATE INDEX inquiries_by_queue ON inquiries (department, status, priority, created_at);
CREATE INDEX inquiries_by_conversation ON inquiries (conversation_id);
