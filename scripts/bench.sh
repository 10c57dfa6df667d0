#!/usr/bin/env bash
# bench.sh — what the agent costs and how fast it notices, measured here.
#
#   1. idle: the agent (and the supervisor that restarts it after a crash)
#      with a 60 s interval and both services in use (e-Faktur and
#      Coretax, both fake), sampled for IDLE_SECONDS (60): CPU % of one
#      core, RSS, and the requests that reached the fake DJP meanwhile;
#   1b. requests per check of each service while both are up, and of the
#      SVC's second witness once the WSDL address answers 404 and the
#      validation service answers in its place (the agent at a 10 s
#      interval, so a minute holds enough checks to count);
#   2. check cost: CPU time per check (the agent at a 1 s interval against
#      a local fake SVC, so network time is not counted);
#   3. detection delay with the default policy (60 s / 10 s / 30 s / 3 / 2):
#      from the fake SVC going down to the "down" notification, and from it
#      coming back to the "recovered" one (expect ~20 s and ≤ 40 s);
#   4. the status window (needs Xvfb and xdotool): time from launch to the
#      window on screen, its RSS, and that its process ends with the window;
#   5. the Go benchmarks (classifying a 30 KB WSDL, loading 30 days of history,
#      looking for an outage left open at start).
#
# Needs: dbus-daemon (apt-get install dbus). Runs against a private bus and a
# fake SVC on loopback; never contacts DJP. Takes about 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
export LANG=en_US.UTF-8 # as a desktop session has it (Fyne complains about "C")
IDLE_SECONDS=${IDLE_SECONDS:-60}

bin=bin/pantau-efaktur
[ -x "$bin" ] || make build >/dev/null
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

# Private session bus with a tray host, a notification server and the fake SVC.
dbus-daemon --session --nofork --print-address=1 --nopidfile >"$tmp/bus" 2>/dev/null &
pids+=($!)
for _ in $(seq 50); do [ -s "$tmp/bus" ] && break; sleep 0.1; done
export DBUS_SESSION_BUS_ADDRESS=$(head -1 "$tmp/bus")
go build -o "$tmp/fakehost" ./internal/tools/fakehost
"$tmp/fakehost" -svc 127.0.0.1:0 >"$tmp/host" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q ready "$tmp/host" 2>/dev/null && break; sleep 0.1; done
svc=$(sed -n 's/^svc //p' "$tmp/host")

clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

run_agent() { # $1 = interval, $2 = more settings ("key":value,)
	export PANTAU_EFAKTUR_HOME="$tmp/home-$1"
	mkdir -p "$PANTAU_EFAKTUR_HOME"
	cat >"$PANTAU_EFAKTUR_HOME/config.json" <<EOF
{"version":1,"url":"$svc/svc/MasterFakturService?wsdl","reference":"$svc/_fake/generate_204",
 "coretax_url":"$svc/identityproviderportal/Account/Login",${2:-}
 "interval":"$1","recheck":"10s","down_interval":"30s","proxy":"none"}
EOF
	"$bin" &
	sup=$! # the supervisor; the agent is its child
	pids+=("$sup")
	agent=""
	for _ in $(seq 100); do agent=$(pgrep -P "$sup" || true); [ -n "$agent" ] && break; sleep 0.05; done
}

echo "== 1. idle agent (60 s interval), ${IDLE_SECONDS} s"
run_agent 60s
sleep 5 # start-up and first check
checks() { cat "$PANTAU_EFAKTUR_HOME"/history/*.jsonl 2>/dev/null | grep -c "\"id\":\"$1\"" || true; }
requests() { curl -s "$svc/_fake/state" | sed 's/.*"requests":\([0-9]*\).*/\1/'; }
e0=$(checks efaktur); c0=$(checks coretax); r0=$(requests)
t0=$(($(cpu_ticks "$agent") + $(cpu_ticks "$sup"))); s0=$(date +%s.%N)
sleep "$IDLE_SECONDS"
t1=$(($(cpu_ticks "$agent") + $(cpu_ticks "$sup"))); s1=$(date +%s.%N)
e1=$(checks efaktur); c1=$(checks coretax); r1=$(requests)
rss=$(rss_kb "$agent")
srss=$(rss_kb "$sup")
sanon=$(awk '/^RssAnon/ {print $2}' "/proc/$sup/status")
awk -v t="$((t1 - t0))" -v c="$clk" -v a="$s0" -v b="$s1" -v r="$rss" -v s="$srss" -v p="$sanon" 'BEGIN {
	printf "idle CPU: %.3f %% of one core (%d ticks in %.0f s, agent and its supervisor)\n", 100 * t / c / (b - a), t, b - a
	printf "idle RSS: agent %.1f MB; supervisor %.1f MB, of which %.1f MB its own (the rest is the program file, shared with the agent)\n", r / 1024, s / 1024, p / 1024 }'
echo "requests to DJP in those ${IDLE_SECONDS} s: $((r1 - r0)) (e-Faktur checks $((e1 - e0)), Coretax checks $((c1 - c0)); a 60 s interval with ±10 % jitter)"
kill "$sup"; wait "$sup" 2>/dev/null || true

echo "== 1b. requests per check, agent at a 10 s interval, 60 s each"
per_check() { # $1 = what, $2 = more settings
	run_agent 10s "$2"
	sleep 5 # the first check (the second witness's asks both addresses)
	e0=$(checks efaktur); c0=$(checks coretax); r0=$(requests)
	sleep 60
	e1=$(checks efaktur); c1=$(checks coretax); r1=$(requests)
	awk -v w="$1" -v e="$((e1 - e0))" -v c="$((c1 - c0))" -v r="$((r1 - r0))" 'BEGIN {
		printf "%s: %d requests for %d e-Faktur and %d Coretax checks: %.2f per check\n", w, r, e, c, r / (e + c ? e + c : 1) }'
	kill "$sup"; wait "$sup" 2>/dev/null || true
}
per_check "both services up" '"services":{"efaktur":true,"coretax":true},'
curl -s "$svc/_fake/set?b=wsdl_moved" >/dev/null
per_check "second witness (WSDL address 404, validation answers)" '"services":{"efaktur":true,"coretax":false},'
curl -s "$svc/_fake/set?b=ok" >/dev/null

echo "== 2. check cost (agent at a 1 s interval, 30 s)"
run_agent 1s
sleep 3
t0=$(cpu_ticks "$agent")
n0=$(curl -s "$svc/_fake/state" | sed 's/.*"requests":\([0-9]*\).*/\1/')
sleep 30
t1=$(cpu_ticks "$agent")
n1=$(curl -s "$svc/_fake/state" | sed 's/.*"requests":\([0-9]*\).*/\1/')
awk -v t="$((t1 - t0))" -v c="$clk" -v n="$((n1 - n0))" 'BEGIN {
	printf "check cost: %.2f ms CPU per check (%d checks, history and tray included)\n", 1000 * t / c / n, n }'
kill "$sup"; wait "$sup" 2>/dev/null || true

echo "== 3. detection delay, default policy"
unset PANTAU_EFAKTUR_HOME
"$bin" watch --config "$tmp/none.json" --services efaktur --url "$svc/svc/MasterFakturService?wsdl" \
	--reference "$svc/_fake/generate_204" --proxy none --lang en \
	--interval 60s --recheck 10s --down-interval 30s --fail-threshold 3 --recover-threshold 2 >"$tmp/watch" 2>&1 &
watcher=$!
pids+=("$watcher")
wait_line() { # pattern
	until grep -q "$1" "$tmp/watch"; do sleep 0.2; done
}
wait_line '"type":"state".*"level":"up"'
curl -s "$svc/_fake/set?b=down" >/dev/null
down_at=$(date +%s.%N)
wait_line '"kind":"down"'
noticed=$(date +%s.%N)
curl -s "$svc/_fake/set?b=ok" >/dev/null
up_at=$(date +%s.%N)
wait_line '"kind":"recovered"'
back=$(date +%s.%N)
awk -v a="$down_at" -v b="$noticed" -v c="$up_at" -v d="$back" 'BEGIN {
	printf "down noticed after: %.1f s (the first failed check comes at the next 60 s tick)\n", b - a
	printf "recovery noticed after: %.1f s\n", d - c }'
kill "$watcher"; wait "$watcher" 2>/dev/null || true

echo "== 4. status window"
if command -v Xvfb >/dev/null && command -v xdotool >/dev/null; then
	Xvfb :87 -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
	pids+=($!)
	sleep 1
	export DISPLAY=:87 PANTAU_EFAKTUR_HOME="$tmp/home-60s"
	if command -v openbox >/dev/null; then openbox --sm-disable >/dev/null 2>&1 & pids+=($!); sleep 1; fi
	run_agent 60s
	sleep 2
	start=$(date +%s%N)
	"$bin" window status &
	win=$!
	until xdotool search --onlyvisible --name 'Pantau e-Faktur.*Status' >/dev/null 2>&1; do sleep 0.02; done
	shown=$(date +%s%N)
	sleep 2
	echo "status window on screen after: $(( (shown - start) / 1000000 )) ms (launch to visible)"
	echo "status window RSS: $(( $(rss_kb "$win") / 1024 )) MB (software GL under Xvfb)"
	closed=$(date +%s%N)
	for _ in 1 2 3 4 5; do # the close button (WM_DELETE_WINDOW), or Ctrl+W without a window manager
		id=$(xdotool search --onlyvisible --name 'Pantau e-Faktur.*Status' 2>/dev/null | head -1)
		if command -v wmctrl >/dev/null && wmctrl -m >/dev/null 2>&1; then
			wmctrl -i -c "$id" || true
		else
			xdotool windowfocus --sync "$id" key ctrl+w 2>/dev/null || true
		fi
		for _ in $(seq 20); do kill -0 "$win" 2>/dev/null || break; sleep 0.05; done
		kill -0 "$win" 2>/dev/null || break
	done
	if kill -0 "$win" 2>/dev/null; then
		echo "window process still running after closing"; kill "$win"
	else
		echo "window process ended $(( ($(date +%s%N) - closed) / 1000000 )) ms after closing (memory returned)"
	fi
	wait "$win" 2>/dev/null || true
	kill "$sup"; wait "$sup" 2>/dev/null || true
else
	echo "skipped: install xvfb and xdotool"
fi

echo "== 5. Go benchmarks"
go test -run XXX -bench 'ClassifyWSDL|LoadAndSummarise|FindOpenOutage' -benchmem ./probe/ ./history/ | grep -E '^Benchmark'
