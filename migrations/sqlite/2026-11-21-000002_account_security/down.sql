DROP INDEX one_time_tokens_staff_user;
DROP INDEX audit_log_actor_account;
DROP TABLE recovery_codes;
DROP TABLE rate_limit_events;
