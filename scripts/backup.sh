#!/usr/bin/env bash
# Backups of the PostgreSQL cluster that holds both databases (hapi: every clinical resource; wintehr: users, audit,
# pharmacy): a physical base backup plus continuous WAL archiving, which together allow point-in-time recovery (PITR)
# of the whole cluster to any moment covered by the archive. scripts/restore-drill.sh restores from what this writes.
#
# Usage: scripts/backup.sh configure | base | status | prune KEEP
#   configure  turns WAL archiving on (ALTER SYSTEM: archive_mode, archive_command into $BACKUP_DIR/wal,
#              archive_timeout); archive_mode takes effect at the cluster's next restart, which this never does
#   base       pg_basebackup into $BACKUP_DIR/base/<UTC time>/ (plain format, WAL included, checked with
#              pg_verifybackup); run it daily (cron / a Kubernetes CronJob)
#   status     the archiver's state (last archived / failed WAL) and the base backups held
#   prune KEEP keeps the newest KEEP base backups and removes the WAL only older ones needed
#
# Which cluster: PGHOST (default: this checkout's socket directory), PGPORT (default WINTEHR_PG_PORT or 5432),
# PGUSER (default postgres, a superuser or a role with REPLICATION). Where: BACKUP_DIR (default .data/backups); in
# production a separate disk or a mounted object store, never the data volume itself.
# RPO: WAL is archived when a 16 MB segment fills or after archive_timeout (default 60 s), so at most the last
# minute of commits is lost if the server and its disk are lost together. For RPO 0 stream WAL synchronously to a
# second host (pg_receivewal --synchronous, listed in synchronous_standby_names) or run a synchronous standby.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BACKUP_DIR="${BACKUP_DIR:-$DATA_DIR/backups}"
ARCHIVE_TIMEOUT="${ARCHIVE_TIMEOUT:-60}"
export PGHOST="${PGHOST:-$DATA_DIR/pg-socket}" PGPORT="${PGPORT:-$PG_PORT}" PGUSER="${PGUSER:-postgres}"

BIN="$(pg_bin_dir)" || true
[ -n "$BIN" ] || die "PostgreSQL client programs are not installed (scripts/infra.sh up installs them)"

# PostgreSQL's programs run as the 'postgres' system user when we are root: the archive, the backups and a restored
# data directory must belong to the user the server runs as.
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }
sql() { as_pg "$BIN/psql" -X -v ON_ERROR_STOP=1 -qAt -d postgres -c "$1"; }

prepare_dirs() {
  mkdir -p "$BACKUP_DIR/base" "$BACKUP_DIR/wal"
  if is_root; then chown postgres:postgres "$BACKUP_DIR" "$BACKUP_DIR/base" "$BACKUP_DIR/wal"; fi
  chmod 700 "$BACKUP_DIR"
}

# Never overwrites a segment already archived (the documented safe form), and a segment is complete before its final
# name appears: a crash mid-copy leaves a .part file, never a truncated segment recovery would trust.
archive_command() {
  local wal="$1"
  printf "test ! -f '%s/%%f' && cp %%p '%s/%%f.part' && sync '%s/%%f.part' && mv '%s/%%f.part' '%s/%%f'" \
    "$wal" "$wal" "$wal" "$wal" "$wal"
}

configure() {
  prepare_dirs
  local wal; wal="$(cd "$BACKUP_DIR/wal" && pwd)"
  sql "ALTER SYSTEM SET wal_level = 'replica'"
  sql "ALTER SYSTEM SET archive_mode = 'on'"
  sql "ALTER SYSTEM SET archive_command = \$q\$$(archive_command "$wal")\$q\$"
  sql "ALTER SYSTEM SET archive_timeout = '${ARCHIVE_TIMEOUT}s'"
  sql "SELECT pg_reload_conf()" >/dev/null
  if [ "$(sql 'SHOW archive_mode')" = on ]; then
    ok "WAL archiving is on, into $wal"
  else
    log "archiving configured into $wal; archive_mode takes effect at the cluster's next restart (not done here)"
  fi
}

base() {
  prepare_dirs
  [ "$(sql 'SHOW archive_mode')" = on ] \
    || log "warning: WAL archiving is off: this backup restores only to the moment it was taken (run: $0 configure)"
  local stamp target started
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  target="$BACKUP_DIR/base/$stamp"
  started="$(date -u '+%Y-%m-%d %H:%M:%S.%3N+00')"
  # --wal-method=stream: the backup carries the WAL it needs to be consistent, so it restores even without the archive.
  as_pg "$BIN/pg_basebackup" -D "$target.part" --format=plain --wal-method=stream --checkpoint=fast \
    --label="wintehr $stamp" --no-password \
    || { rm -rf "$target.part"; die "pg_basebackup failed"; }
  as_pg "$BIN/pg_verifybackup" --quiet "$target.part" || { rm -rf "$target.part"; die "the new base backup does not verify"; }
  printf 'started_at=%s\nfinished_at=%s\n' "$started" "$(date -u '+%Y-%m-%d %H:%M:%S.%3N+00')" >"$target.part/wintehr-backup.info"
  mv "$target.part" "$target"
  ok "base backup $target ($(du -sh "$target" | cut -f1))"
  echo "base_backup=$target"
}

status() {
  sql "SELECT 'archive_mode=' || current_setting('archive_mode') || E'\n' ||
              'archived_count=' || archived_count || E'\n' ||
              'last_archived_wal=' || coalesce(last_archived_wal, '') || E'\n' ||
              'last_archived_time=' || coalesce(last_archived_time::text, '') || E'\n' ||
              'failed_count=' || failed_count || E'\n' ||
              'last_failed_wal=' || coalesce(last_failed_wal, '')
       FROM pg_stat_archiver"
  local b
  for b in "$BACKUP_DIR"/base/*/; do
    [ -f "$b/wintehr-backup.info" ] || continue
    echo "base_backup=${b%/} $(grep finished_at "$b/wintehr-backup.info")"
  done
}

prune() {
  local keep="${1:-}"
  [[ "$keep" =~ ^[1-9][0-9]*$ ]] || die "usage: $0 prune KEEP   (KEEP ≥ 1 base backups to keep)"
  local all=() b
  for b in "$BACKUP_DIR"/base/*/; do [ -f "$b/wintehr-backup.info" ] && all+=("${b%/}"); done
  (( ${#all[@]} > keep )) || { log "${#all[@]} base backup(s), keeping all"; return 0; }
  local drop=$(( ${#all[@]} - keep ))
  for b in "${all[@]:0:$drop}"; do rm -rf "$b"; log "removed $b"; done
  # The oldest kept backup's first WAL segment: everything before it in the archive is needed by no kept backup.
  local first
  first="$(sed -n 's/^START WAL LOCATION: .*(file \([0-9A-F]\{24\}\))$/\1/p' "${all[$drop]}/backup_label")"
  [ -n "$first" ] || die "cannot read the start WAL segment of ${all[$drop]}"
  as_pg "$BIN/pg_archivecleanup" "$BACKUP_DIR/wal" "$first"
  ok "kept ${keep} base backup(s); WAL before $first removed"
}

case "${1:-}" in
  configure) configure ;;
  base) base ;;
  status) status ;;
  prune) prune "${2:-}" ;;
  *) echo "usage: $0 configure | base | status | prune KEEP" >&2; exit 2 ;;
esac
