DROP TABLE radius_sessions;
DROP TABLE traffic_rollups;
DROP TABLE traffic_daily;
DROP TABLE traffic_hourly;
DROP TABLE traffic_samples;
