#!/usr/bin/env bash
# The gateway under load, against a plain nginx reverse proxy measured in the same run.
#
#   bench/run.sh                      # 5 interleaved rounds of 20 s at 64 connections
#   ROUNDS=3 DURATION=10 CONNECTIONS=128 bench/run.sh
#   REFERENCES=1 bench/run.sh         # also the cheapest JVM proxies, which check nothing (ReferenceProxy)
#
# Starts, all on loopback: a fixed backend (nginx answering GET /hello with a ~100-byte JSON body), nginx as a
# reverse proxy in front of it (the baseline), and a Gatehouse gateway in front of it with one API whose resource
# requires a scope (JWT signature, issuer, client, key type, subscription and scope all checked on every call).
# wrk runs on the first CPU, every server on the second (taskset), with a valid RS256 token. Each target gets
# one pre-warm run, then the rounds alternate between the targets. Prints requests/s, p50 and p99 per round and
# on average, the gateway's throughput as a ratio of the proxy's, and the gateway's resident memory.
# Needs Linux with two CPUs or more; installs nginx and wrk with apt-get when they are missing; builds the
# gateway and the bench jar with Maven.
set -euo pipefail

ROUNDS="${ROUNDS:-5}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-15}"
CONNECTIONS="${CONNECTIONS:-64}"
BACKEND_PORT="${BACKEND_PORT:-18080}"
PROXY_PORT="${PROXY_PORT:-18081}"
GATEWAY_PORT="${GATEWAY_PORT:-18082}"
VERTX_PORT="${VERTX_PORT:-18083}"
NETTY_PORT="${NETTY_PORT:-18084}"
REFERENCES="${REFERENCES:-}"
LOAD_CPU="${LOAD_CPU:-0}"
SERVER_CPU="${SERVER_CPU:-1}"
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED}"
PATH_UNDER_TEST=/bench/bench/v1/hello

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
work="$(mktemp -d /tmp/gatehouse-bench.XXXXXX)"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '%s\n' "$*" >&2; }

if [ "$(nproc)" -lt 2 ]; then
  say "bench/run.sh needs two CPUs: one for wrk, one for the servers (this machine has $(nproc))."
  exit 1
fi

# --- tools ----------------------------------------------------------------------------------------------------
if ! command -v nginx >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1; then
  say "installing nginx and wrk..."
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq nginx-light wrk >/dev/null 2>&1 \
    || DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq nginx wrk >/dev/null
fi
NGINX="$(command -v nginx)"

if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ]; then
  for dir in /usr/lib/jvm/*; do
    if [ -x "$dir/bin/java" ] && "$dir/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
      JAVA_HOME="$dir"
    fi
  done
fi
export JAVA_HOME
jar="$here/target/gatehouse-bench.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/gateway/src" "$root/model/src" "$here/src" "$here/pom.xml" -newer "$jar" -print -quit)" ]; then
  say "building the gateway and the bench jar..."
  (cd "$root" && mvn -B -q install -DskipTests) >&2
  (cd "$root" && mvn -B -q -f bench/pom.xml package) >&2
fi

# --- servers --------------------------------------------------------------------------------------------------
body='{"id":42,"name":"bench","status":"ok","items":[1,2,3],"message":"hello from the fixed backend"}'
nginx_conf() { # name, server block
  mkdir -p "$work/$1"
  cat > "$work/$1/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/$1/nginx.pid;
error_log $work/$1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/$1/body;
  proxy_temp_path $work/$1/proxy;
  fastcgi_temp_path $work/$1/fastcgi;
  uwsgi_temp_path $work/$1/uwsgi;
  scgi_temp_path $work/$1/scgi;
  keepalive_requests 1000000;
  $2
}
EOF
}
nginx_conf backend "server { listen 127.0.0.1:$BACKEND_PORT; location / { default_type application/json; return 200 '$body'; } }"
nginx_conf proxy "upstream backend { server 127.0.0.1:$BACKEND_PORT; keepalive 64; }
  server { listen 127.0.0.1:$PROXY_PORT;
    location /bench/bench/v1/ { proxy_pass http://backend/; proxy_http_version 1.1; proxy_set_header Connection \"\";
      proxy_set_header X-Forwarded-For \$remote_addr; } }"

taskset -c "$SERVER_CPU" "$NGINX" -p "$work/backend" -c "$work/backend/nginx.conf" & pids+=($!)
taskset -c "$SERVER_CPU" "$NGINX" -p "$work/proxy" -c "$work/proxy/nginx.conf" & pids+=($!)
taskset -c "$SERVER_CPU" "$JAVA_HOME/bin/java" $GATEWAY_JAVA_OPTS -cp "$jar" dev.gatehouse.bench.BenchGateway \
  "$GATEWAY_PORT" "http://127.0.0.1:$BACKEND_PORT" "$work/token" > "$work/gateway.log" 2>&1 & gateway_pid=$!
pids+=("$gateway_pid")
targets=(proxy gateway)
if [ -n "$REFERENCES" ]; then
  targets+=(vertx netty)
  for reference in vertx netty; do
    port_var="${reference^^}_PORT"
    taskset -c "$SERVER_CPU" "$JAVA_HOME/bin/java" $GATEWAY_JAVA_OPTS -cp "$jar" dev.gatehouse.bench.ReferenceProxy \
      "$reference" "${!port_var}" "http://127.0.0.1:$BACKEND_PORT" > "$work/$reference.log" 2>&1 & pids+=($!)
  done
fi

for _ in $(seq 1 100); do
  grep -q ready "$work/gateway.log" 2>/dev/null && break
  sleep 0.2
done
grep -q ready "$work/gateway.log" || { say "the gateway did not start:"; cat "$work/gateway.log" >&2; exit 1; }
token="$(cat "$work/token")"

status() { curl -s -m 5 -o /dev/null -w '%{http_code}' "$@"; }
[ "$(status "http://127.0.0.1:$BACKEND_PORT/hello")" = 200 ] || { say "backend nginx is not answering"; exit 1; }
[ "$(status "http://127.0.0.1:$PROXY_PORT$PATH_UNDER_TEST")" = 200 ] || { say "proxy nginx is not answering"; exit 1; }
[ "$(status -H "Authorization: Bearer $token" "http://127.0.0.1:$GATEWAY_PORT$PATH_UNDER_TEST")" = 200 ] \
  || { say "the gateway refuses the bench token"; exit 1; }
[ "$(status "http://127.0.0.1:$GATEWAY_PORT$PATH_UNDER_TEST")" = 401 ] \
  || { say "the gateway lets a call without a token through"; exit 1; }
if [ -n "$REFERENCES" ]; then
  for reference in vertx netty; do
    port_var="${reference^^}_PORT"
    for _ in $(seq 1 50); do grep -q ready "$work/$reference.log" 2>/dev/null && break; sleep 0.2; done
    [ "$(status "http://127.0.0.1:${!port_var}$PATH_UNDER_TEST")" = 200 ] \
      || { say "the $reference reference proxy is not answering:"; cat "$work/$reference.log" >&2; exit 1; }
  done
fi

# --- load -----------------------------------------------------------------------------------------------------
to_ms() { # wrk's "1.23ms", "456.00us", "1.02s" -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

drive() { # target name, seconds -> "rps p50_ms p99_ms errors"
  local url auth=()
  case "$1" in
    gateway) url="http://127.0.0.1:$GATEWAY_PORT$PATH_UNDER_TEST"; auth=(-H "Authorization: Bearer $token") ;;
    vertx) url="http://127.0.0.1:$VERTX_PORT$PATH_UNDER_TEST" ;;
    netty) url="http://127.0.0.1:$NETTY_PORT$PATH_UNDER_TEST" ;;
    *) url="http://127.0.0.1:$PROXY_PORT$PATH_UNDER_TEST" ;;
  esac
  local out
  out="$(taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${2}s" --latency "${auth[@]}" "$url")"
  local rps p50 p99 errors
  rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
  errors="$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")"
  echo "$rps $p50 $p99 $errors"
}

say "pre-warming each target for ${WARMUP}s..."
for target in "${targets[@]}"; do drive "$target" "$WARMUP" >/dev/null; done

printf '%-6s %-8s %12s %10s %10s %8s\n' round target "requests/s" "p50 ms" "p99 ms" errors
declare -A sum_rps sum_p50 sum_p99
for target in "${targets[@]}"; do sum_rps[$target]=0; sum_p50[$target]=0; sum_p99[$target]=0; done
for round in $(seq 1 "$ROUNDS"); do
  for target in "${targets[@]}"; do
    read -r rps p50 p99 errors < <(drive "$target" "$DURATION")
    printf '%-6s %-8s %12.0f %10.3f %10.3f %8d\n' "$round" "$target" "$rps" "$p50" "$p99" "$errors"
    sum_rps[$target]="$(awk -v a="${sum_rps[$target]}" -v b="$rps" 'BEGIN { print a + b }')"
    sum_p50[$target]="$(awk -v a="${sum_p50[$target]}" -v b="$p50" 'BEGIN { print a + b }')"
    sum_p99[$target]="$(awk -v a="${sum_p99[$target]}" -v b="$p99" 'BEGIN { print a + b }')"
  done
done

echo
printf '%-14s %12s %10s %10s\n' "mean of $ROUNDS" "requests/s" "p50 ms" "p99 ms"
for target in "${targets[@]}"; do
  awk -v t="$target" -v n="$ROUNDS" -v r="${sum_rps[$target]}" -v a="${sum_p50[$target]}" -v b="${sum_p99[$target]}" \
    'BEGIN { printf "%-14s %12.0f %10.3f %10.3f\n", t, r / n, a / n, b / n }'
done
awk -v g="${sum_rps[gateway]}" -v p="${sum_rps[proxy]}" -v gp="${sum_p99[gateway]}" -v pp="${sum_p99[proxy]}" -v n="$ROUNDS" \
  'BEGIN { printf "gateway/proxy throughput ratio: %.3f   p99 difference: %+.3f ms\n", g / p, (gp - pp) / n }'
for reference in "${targets[@]:2}"; do
  awk -v t="$reference" -v r="${sum_rps[$reference]}" -v p="${sum_rps[proxy]}" -v g="${sum_rps[gateway]}" \
    'BEGIN { printf "%s reference/proxy throughput ratio: %.3f   gateway/%s: %.3f\n", t, r / p, t, g / r }'
done
rss_kb="$(ps -o rss= -p "$gateway_pid" | tr -d ' ')"
echo "gateway resident memory: $((rss_kb / 1024)) MiB ($GATEWAY_JAVA_OPTS; $(grep -o 'transport: [a-z]*' "$work/gateway.log"))"
echo "cpus: $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')); wrk on cpu $LOAD_CPU, servers on cpu $SERVER_CPU; $CONNECTIONS connections"
