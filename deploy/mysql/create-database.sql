-- One empty database per party; VerticalFL creates and migrates the tables itself on start.
-- utf8mb4_bin keeps ids case-sensitive, matching the embedded SQLite default.
CREATE DATABASE IF NOT EXISTS vfl_guest   CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE DATABASE IF NOT EXISTS vfl_host    CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE DATABASE IF NOT EXISTS vfl_arbiter CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
