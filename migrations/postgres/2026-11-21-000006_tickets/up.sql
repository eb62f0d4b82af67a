-- Support tickets: files attached to messages, and the answers staff reuse. Kept in step with the
-- SQLite twin.

-- A file a subscriber or staff member attached to a ticket message. The bytes live outside the web
-- root (`<data_dir>/attachments/YYYY/MM/<random>`); the row says what they are: the type detected
-- from the content (never the name or the browser's Content-Type), size and SHA-256.
CREATE TABLE ticket_attachments (
    id BIGSERIAL PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    message_id BIGINT NOT NULL REFERENCES ticket_messages (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_path TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ticket_attachments_message ON ticket_attachments (message_id);
CREATE INDEX ticket_attachments_ticket ON ticket_attachments (ticket_id);

-- Ready answers staff pick from when replying ("Dziękujemy za zgłoszenie…").
CREATE TABLE canned_responses (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by_staff_id BIGINT REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The staff queue filters by assignee and category, and by age.
CREATE INDEX tickets_assignee ON tickets (assigned_staff_id, status);
CREATE INDEX tickets_created ON tickets (created_at);
