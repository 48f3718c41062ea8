# shellcheck shell=bash
# Sourced by .ci/run (as root, on a fresh Debian machine): installs Debian's clickhouse-server
# (18.16) and starts three server processes on 127.0.0.1, each with its own config, data folder and
# ports (HTTP 18123+i, TCP 19000+i, interserver 19100+i, i = 1..3). Every node knows the clusters
#   oa        shards node1 and node2: the 2-shard test cluster
#   oa_one    node1 alone: a 1-shard cluster (benchmarks)
#   oa_spare  node1 and node3: the shard-failure test stops and restarts node3, never node1/node2
# and exports
#   OA_TEST_CLICKHOUSE=clickhouse://127.0.0.1:18124,127.0.0.1:18125/oa_test?cluster=oa
#   OA_TEST_CLICKHOUSE_SPARE=clickhouse://127.0.0.1:18124,127.0.0.1:18126/oa_spare?cluster=oa_spare
#   OA_TEST_CLICKHOUSE_SPARE_PIDFILE, OA_TEST_CLICKHOUSE_SPARE_START (the command that starts node3)
#   OA_REQUIRE_CLICKHOUSE=1   (an unreachable cluster then fails the ClickHouse tests instead of skipping them)
# Idempotent: nodes already answering are left running.
# Overridable: OA_CH_ROOT (/var/tmp/oa-clickhouse).

oa_ch_setup() {
  local root="${OA_CH_ROOT:-/var/tmp/oa-clickhouse}"
  local bin=/usr/sbin/clickhouse-server
  if [ ! -x "$bin" ]; then
    echo "clickhouse.sh: installing clickhouse-server"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y --no-install-recommends clickhouse-server; then
      apt-get update && apt-get install -y --no-install-recommends clickhouse-server || {
        echo "clickhouse.sh: apt-get install clickhouse-server failed" >&2; return 1; }
    fi
    [ -x "$bin" ] || { echo "clickhouse.sh: no $bin after the install" >&2; return 1; }
  fi

  local i
  for i in 1 2 3; do
    oa_ch_node "$root" "$bin" "$i" || return 1
  done

  export OA_TEST_CLICKHOUSE="clickhouse://127.0.0.1:18124,127.0.0.1:18125/oa_test?cluster=oa"
  export OA_TEST_CLICKHOUSE_SPARE="clickhouse://127.0.0.1:18124,127.0.0.1:18126/oa_spare?cluster=oa_spare"
  export OA_TEST_CLICKHOUSE_SPARE_PIDFILE="$root/node3/server.pid"
  export OA_TEST_CLICKHOUSE_SPARE_START="$bin --config-file=$root/node3/config.xml --pid-file=$root/node3/server.pid --daemon"
  export OA_REQUIRE_CLICKHOUSE=1
  echo "clickhouse.sh: OA_TEST_CLICKHOUSE=$OA_TEST_CLICKHOUSE OA_REQUIRE_CLICKHOUSE=1"
}

# Writes node i's config (when missing) and starts it unless it answers already.
oa_ch_node() {
  local root="$1" bin="$2" i="$3"
  local dir="$root/node$i" http=$((18123 + i)) tcp=$((19000 + i)) inter=$((19100 + i))
  if curl -fsS "http://127.0.0.1:$http/ping" >/dev/null 2>&1; then
    echo "clickhouse.sh: node$i already running on 127.0.0.1:$http"
    return 0
  fi
  mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/log"
  chown -R clickhouse:clickhouse "$dir" 2>/dev/null || true
  cat >"$dir/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/error.log</errorlog><size>100M</size><count>2</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$http</http_port>
  <tcp_port>$tcp</tcp_port>
  <interserver_http_port>$inter</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <max_connections>256</max_connections>
  <keep_alive_timeout>10</keep_alive_timeout>
  <max_concurrent_queries>100</max_concurrent_queries>
  <uncompressed_cache_size>1073741824</uncompressed_cache_size>
  <mark_cache_size>536870912</mark_cache_size>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <remote_servers>
    <oa>
      <shard><replica><host>127.0.0.1</host><port>19001</port></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>19002</port></replica></shard>
    </oa>
    <oa_one>
      <shard><replica><host>127.0.0.1</host><port>19001</port></replica></shard>
    </oa_one>
    <oa_spare>
      <shard><replica><host>127.0.0.1</host><port>19001</port></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>19003</port></replica></shard>
    </oa_spare>
  </remote_servers>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
EOF
  cat >"$dir/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>8000000000</max_memory_usage><load_balancing>in_order</load_balancing></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
EOF
  chown clickhouse:clickhouse "$dir/config.xml" "$dir/users.xml" 2>/dev/null || true
  echo "clickhouse.sh: starting node$i on 127.0.0.1:$http (tcp $tcp)"
  "$bin" --config-file="$dir/config.xml" --pid-file="$dir/server.pid" --daemon || {
    echo "clickhouse.sh: node$i did not start" >&2; return 1; }
  local n
  for n in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$http/ping" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "clickhouse.sh: node$i is not answering on 127.0.0.1:$http; its log:" >&2
  tail -n 30 "$dir/log/error.log" >&2
  return 1
}

oa_ch_setup
