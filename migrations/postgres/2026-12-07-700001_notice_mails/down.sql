DROP TABLE outage_mailings;
DROP TABLE notice_mails;
