"""Operations: the embedded database, backups, the scheduler, logs, catalogs, gunicorn and request
time limits. Used by the project and its commands; imports no app."""
