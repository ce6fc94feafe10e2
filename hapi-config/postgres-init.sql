-- Roles and databases for the compose stack (the local stack's scripts/infra.sh creates the same).
CREATE ROLE hapi LOGIN PASSWORD 'hapi';
CREATE DATABASE hapi OWNER hapi;
CREATE ROLE wintehr LOGIN PASSWORD 'wintehr';
CREATE DATABASE wintehr OWNER wintehr;
