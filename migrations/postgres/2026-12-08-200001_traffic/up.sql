-- Traffic statistics and connection history (issue 21). Kept in step with the SQLite twin.
-- Times are UTC. Bytes are from the subscriber's side: `bytes_in` downloaded to the endpoint,
-- `bytes_out` uploaded from it.

-- Raw 5-minute counters, one row per endpoint and interval (its start); kept for
-- EBOK_TRAFFIC_RAW_DAYS days, then only the roll-ups remain.
CREATE TABLE traffic_samples (
    endpoint_id BIGINT NOT NULL REFERENCES endpoints (id),
    interval_start TIMESTAMP NOT NULL,
    bytes_in BIGINT NOT NULL CHECK (bytes_in >= 0),
    bytes_out BIGINT NOT NULL CHECK (bytes_out >= 0),
    PRIMARY KEY (endpoint_id, interval_start)
);
CREATE INDEX traffic_samples_interval ON traffic_samples (interval_start);

-- Sums of the raw rows per UTC hour (a Polish hour is a UTC hour, the offset being whole).
CREATE TABLE traffic_hourly (
    endpoint_id BIGINT NOT NULL REFERENCES endpoints (id),
    hour_start TIMESTAMP NOT NULL,
    bytes_in BIGINT NOT NULL CHECK (bytes_in >= 0),
    bytes_out BIGINT NOT NULL CHECK (bytes_out >= 0),
    PRIMARY KEY (endpoint_id, hour_start)
);
CREATE INDEX traffic_hourly_hour ON traffic_hourly (hour_start);

-- Sums of the hourly rows per day in Poland (23 or 25 hours on the days the clocks change).
CREATE TABLE traffic_daily (
    endpoint_id BIGINT NOT NULL REFERENCES endpoints (id),
    day DATE NOT NULL,
    bytes_in BIGINT NOT NULL CHECK (bytes_in >= 0),
    bytes_out BIGINT NOT NULL CHECK (bytes_out >= 0),
    PRIMARY KEY (endpoint_id, day)
);
CREATE INDEX traffic_daily_day ON traffic_daily (day);

-- What the roll-up job still has to add up: level 'hour' (bucket = the UTC hour) or 'day'
-- (bucket = the Polish date at midnight). Ingestion bumps `generation` and drops the claim;
-- the job claims a row with `claimed_until`, and deletes it only at the generation it summed.
CREATE TABLE traffic_rollups (
    level TEXT NOT NULL CHECK (level IN ('hour', 'day')),
    bucket TIMESTAMP NOT NULL,
    generation BIGINT NOT NULL,
    claimed_until TIMESTAMP,
    PRIMARY KEY (level, bucket)
);

-- RADIUS accounting sessions per endpoint, one row per accounting session (Acct-Unique-Session-Id,
-- or Acct-Session-Id with the NAS address), merged from its Start, Interim-Update and Stop.
CREATE TABLE radius_sessions (
    id BIGSERIAL PRIMARY KEY,
    session_key TEXT NOT NULL UNIQUE,
    endpoint_id BIGINT NOT NULL REFERENCES endpoints (id),
    username TEXT NOT NULL,
    nas_ip TEXT,
    framed_ip TEXT,
    started_at TIMESTAMP NOT NULL,
    stopped_at TIMESTAMP,
    bytes_in BIGINT NOT NULL CHECK (bytes_in >= 0),
    bytes_out BIGINT NOT NULL CHECK (bytes_out >= 0),
    terminate_cause TEXT,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX radius_sessions_endpoint ON radius_sessions (endpoint_id, started_at);
