DROP TABLE ksef_offline_certificate;
