#!/usr/bin/env bash
# Restore drill: rebuilds the cluster from a base backup plus archived WAL (scripts/backup.sh) up to a chosen point in
# time, in a separate data directory on a free port, proves it answers, then stops it and removes it. The running
# cluster is never touched. The same steps, with --keep and the real data directory, are the disaster recovery.
#
# Usage: scripts/restore-drill.sh [--target-time 'YYYY-MM-DD HH:MM:SS+00' | --latest] [--check 'DB|SQL']... [--keep]
#   --target-time  recover up to this moment (transactions committed after it are not replayed); default --latest:
#                  every archived WAL segment
#   --check        a query run on the restored cluster, printed as check.N=<rows joined with ,> (repeatable);
#                  without any, the databases are listed
#   --keep         leave the restored cluster running (its data directory and port are printed) instead of removing it
# BACKUP_DIR as for backup.sh. Prints key=value lines: base_backup, port, recovered_to, rto_seconds, check.N.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BACKUP_DIR="${BACKUP_DIR:-$DATA_DIR/backups}"
BIN="$(pg_bin_dir)" || true
[ -n "$BIN" ] || die "PostgreSQL server programs are not installed (scripts/infra.sh up installs them)"

target=""
keep=0
checks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target-time) target="${2:?--target-time needs a timestamp}"; shift 2 ;;
    --latest) target=""; shift ;;
    --check) checks+=("${2:?--check needs 'DB|SQL'}"); shift 2 ;;
    --keep) keep=1; shift ;;
    *) die "unknown argument $1 (see the header of $0)" ;;
  esac
done

as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }
epoch_ms() { date -u -d "$1" +%s%3N 2>/dev/null || die "not a timestamp: $1"; }

now_ms() { date +%s%3N; }
started=$(now_ms)
target_epoch=""
[ -z "$target" ] || target_epoch="$(epoch_ms "$target")"

# The newest base backup that was complete before the target: recovery cannot stop before a backup's consistent point.
chosen=""
for b in "$BACKUP_DIR"/base/*/; do
  # backup.sh records when a backup finished; for one taken by hand (pg_basebackup -Fp, e.g. in a container) the time
  # its manifest, the last file pg_basebackup writes, was written.
  if [ -f "$b/wintehr-backup.info" ]; then finished="$(sed -n 's/^finished_at=//p' "$b/wintehr-backup.info")"
  elif [ -f "$b/backup_manifest" ]; then finished="$(date -u -r "$b/backup_manifest" '+%Y-%m-%d %H:%M:%S.%3N+00')"
  else continue; fi
  if [ -z "$target_epoch" ] || (( $(epoch_ms "$finished") < target_epoch )); then chosen="${b%/}"; fi
done
[ -n "$chosen" ] || die "no base backup in $BACKUP_DIR/base finished before ${target:-now}"
echo "base_backup=$chosen"
# A data directory only starts under the PostgreSQL major version that wrote it.
backup_major="$(cat "$chosen/PG_VERSION")"
if [ -x "/usr/lib/postgresql/$backup_major/bin/pg_ctl" ]; then BIN="/usr/lib/postgresql/$backup_major/bin"; fi
bin_major="$("$BIN/postgres" --version | sed -n 's/.* \([0-9][0-9]*\)\.[0-9].*/\1/p')"
[ "$backup_major" = "$bin_major" ] \
  || die "the backup is from PostgreSQL $backup_major but $BIN is $bin_major: restore it where PostgreSQL $backup_major is installed (e.g. in a postgres:$backup_major container)"

work="$(mktemp -d "$DATA_DIR/restore-drill.XXXXXX")"
data="$work/data"
port="$(free_port)"
cleanup() {
  if [ -f "$data/postmaster.pid" ]; then as_pg "$BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
if [ "$keep" = 0 ]; then trap cleanup EXIT; fi

cp -a "$chosen" "$data"
rm -f "$data/wintehr-backup.info"
chmod 700 "$data"
if is_root; then chown -R postgres:postgres "$work"; fi

# Recovery settings for this copy only. archive_mode off: a restored copy must never write into the production archive
# (after promotion it starts a new timeline whose WAL would mix with the real one).
{
  echo "restore_command = 'cp \"$BACKUP_DIR/wal/%f\" \"%p\"'"
  [ -z "$target" ] || echo "recovery_target_time = '$target'"
  echo "recovery_target_action = 'promote'"
  echo "archive_mode = 'off'"
} >>"$data/postgresql.auto.conf"
as_pg touch "$data/recovery.signal"

as_pg "$BIN/pg_ctl" -D "$data" -l "$work/postgres.log" -w -t 600 start \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c archive_mode=off -c shared_buffers=128MB" >/dev/null \
  || { tail -n 30 "$work/postgres.log" >&2; die "the restored cluster did not start (log above)"; }

q() { as_pg "$BIN/psql" -X -h "$work" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt -d "$1" -c "$2"; }
# pg_ctl returns once the copy accepts read-only connections; the drill is over only when replay ended and it promoted.
for _ in $(seq 1 600); do
  [ "$(q postgres 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break
  sleep 0.5
done
[ "$(q postgres 'SELECT pg_is_in_recovery()')" = f ] || { tail -n 30 "$work/postgres.log" >&2; die "recovery did not finish"; }
echo "port=$port"
echo "recovered_to=$(q postgres "SELECT coalesce(pg_last_xact_replay_timestamp()::text, '')")"

if [ ${#checks[@]} -eq 0 ]; then checks=("postgres|SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1"); fi
n=0
for c in "${checks[@]}"; do
  n=$((n + 1))
  echo "check.$n=$(q "${c%%|*}" "${c#*|}" | paste -sd, -)"
done
rto_ms=$(( $(now_ms) - started ))
echo "rto_seconds=$((rto_ms / 1000)).$(printf %03d $((rto_ms % 1000)))"

if [ "$keep" = 1 ]; then
  ok "restored cluster left running: data $data, port $port (stop: pg_ctl -D $data stop; then rm -rf $work)"
else
  ok "restore drill passed in $((rto_ms / 1000))s; removing the restored copy"
fi
