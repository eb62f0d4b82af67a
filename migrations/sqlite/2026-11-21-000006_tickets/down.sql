DROP INDEX tickets_created;
DROP INDEX tickets_assignee;
DROP TABLE canned_responses;
DROP TABLE ticket_attachments;
