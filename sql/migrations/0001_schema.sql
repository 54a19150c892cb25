-- Placeholder until the real schema lands (replaced at merge time).
CREATE SCHEMA IF NOT EXISTS iafq;
CREATE TABLE iafq.placeholder (id int PRIMARY KEY);
