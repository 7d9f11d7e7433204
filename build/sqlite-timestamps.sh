# Sourced by the benchmarks that write SQLite's rows directly.
# sqlite_timestamp DB TIME: SQL for TIME (SQLite's time value and modifiers: "'now'", "'now', '-1 day'", "'2026-01-01'") in
# the form DB's workers table stores it: the UTC ticks (100 ns since 0001-01-01, Julian day 1721425.5) where its
# timestamps are integers; in a schema from before, text to the second ('2026-01-01 00:00:00'), which the service
# reads as it reads its own text form. Benchmarks that compare two builds load both.
sqlite_timestamp() {
  if [ "$(sqlite3 "$1" "SELECT type FROM pragma_table_info('workers') WHERE name = 'registered_at'")" = INTEGER ]; then
    echo "CAST(round((julianday($2) - 1721425.5) * 864000000000) AS INTEGER)"
  else
    echo "datetime($2)"
  fi
}
