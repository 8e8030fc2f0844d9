-- The app version each device last reported with its sync (header dockhand-app-version): the
-- supervisor sees which handhelds still run an old release.
alter table devices add column app_version text;
