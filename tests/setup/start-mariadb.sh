# Sourced by tests/run.sh: starts a throwaway MariaDB on a temp dir and a free loopback port,
# exports VFL_TEST_MYSQL (a connection string for the tests) and stops the server on exit.
mariadb_dir=$(mktemp -d /tmp/vfl-mariadb.XXXXXX)
mariadb_user=$(id -un)
PATH="$PATH:/usr/sbin"
mariadb-install-db --no-defaults --datadir="$mariadb_dir/data" --user="$mariadb_user" \
  --auth-root-authentication-method=socket --skip-test-db >"$mariadb_dir/install.log" 2>&1

for attempt in 1 2 3 4 5; do
  mariadb_port=$((20000 + RANDOM % 20000))
  mariadbd --no-defaults --datadir="$mariadb_dir/data" --socket="$mariadb_dir/sock" \
    --port="$mariadb_port" --bind-address=127.0.0.1 --user="$mariadb_user" \
    --pid-file="$mariadb_dir/pid" --log-error="$mariadb_dir/error.log" --skip-log-bin &
  mariadb_pid=$!
  for _ in $(seq 1 60); do
    [ -S "$mariadb_dir/sock" ] && break
    kill -0 "$mariadb_pid" 2>/dev/null || break
    sleep 0.5
  done
  [ -S "$mariadb_dir/sock" ] && break
  wait "$mariadb_pid" 2>/dev/null || true
done
if [ ! -S "$mariadb_dir/sock" ]; then
  echo "MariaDB did not start; its log:" >&2; cat "$mariadb_dir/error.log" >&2; exit 1
fi

stop_mariadb() { kill "$mariadb_pid" 2>/dev/null && wait "$mariadb_pid" 2>/dev/null; rm -rf "$mariadb_dir"; }
trap stop_mariadb EXIT

mariadb --no-defaults --socket="$mariadb_dir/sock" -u root <<SQL
CREATE DATABASE vfl_test;
CREATE USER 'vfl'@'127.0.0.1' IDENTIFIED BY 'vfl-test-only';
GRANT ALL ON *.* TO 'vfl'@'127.0.0.1';
SQL
export VFL_TEST_MYSQL="Server=127.0.0.1;Port=$mariadb_port;Database=vfl_test;User ID=vfl;Password=vfl-test-only;SslMode=None"
echo "MariaDB for tests on 127.0.0.1:$mariadb_port"
