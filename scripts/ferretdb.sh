#!/usr/bin/env bash
# FerretDB 1.x (a MongoDB wire-protocol server on SQLite) for the MongoDB tests, where no MongoDB
# server can be installed. Production keeps a real MongoDB (docker-compose.yml).
#
#   scripts/ferretdb.sh build        build once per version into the cache; prints the binary
#   scripts/ferretdb.sh start DIR    start on a free loopback port with its files under DIR;
#                                    prints the MONGODB_URL, pid in DIR/ferretdb.pid
#   scripts/ferretdb.sh stop DIR     stop the one started with DIR
#
# Developers: dir=$(mktemp -d); export MONGODB_URL=$(scripts/ferretdb.sh start "$dir")
#             npm run test:server; scripts/ferretdb.sh stop "$dir"
set -euo pipefail

version="${FERRETDB_VERSION:-v1.24.2}"
module="github.com/FerretDB/FerretDB"
cache="${FERRETDB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/taskflow/ferretdb}"
binary="$cache/$version/ferretdb"

die() {
	echo "ferretdb.sh: $*" >&2
	exit 1
}

find_go() {
	if command -v go >/dev/null 2>&1; then
		command -v go
	elif [ -x /usr/local/go/bin/go ]; then
		echo /usr/local/go/bin/go
	else
		return 1
	fi
}

build() {
	# Keyed by version: a cache hit skips `go install` entirely.
	if [ -x "$binary" ]; then
		echo "$binary"
		return
	fi
	local go
	go="$(find_go)" || die "go not found (PATH or /usr/local/go/bin/go)"
	# Built into a scratch directory and moved, so an interrupted build never looks cached.
	local scratch
	mkdir -p "$cache"
	scratch="$(mktemp -d "$cache/.build.XXXXXX")"
	echo "building FerretDB $version (first time only; takes minutes)" >&2
	# Not `go install module@version`: the module zip lacks build/version/version.txt (generated in
	# FerretDB's own builds), and a binary built that way panics at startup. So build from a copy
	# of the module's source with that file written. Outside the repository, so nothing of the
	# project's influences the build.
	local src
	src="$(cd "$scratch" && "$go" mod download -json "$module@$version" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
	[ -d "$src" ] || die "go mod download $module@$version gave no source directory"
	cp -R "$src" "$scratch/src"
	chmod -R u+w "$scratch/src"
	printf '%s\n' "$version" >"$scratch/src/build/version/version.txt"
	(cd "$scratch/src" && GOFLAGS=-buildvcs=false "$go" build -o "$scratch/ferretdb" ./cmd/ferretdb) >&2
	"$scratch/ferretdb" --version >&2
	mkdir -p "$cache/$version"
	mv "$scratch/ferretdb" "$binary"
	rm -rf "$scratch"
	echo "$binary"
}

free_port() {
	node -e '
		const s = require("node:net").createServer();
		s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => console.log(port)); });'
}

start() {
	local dir="${1:-}"
	[ -n "$dir" ] || die "usage: ferretdb.sh start DIR"
	[ -x "$binary" ] || build >/dev/null
	mkdir -p "$dir/data"
	dir="$(cd "$dir" && pwd)"
	local port
	port="$(free_port)"
	# Loopback only; telemetry off (also DO_NOT_TRACK); no debug/metrics listener (its default is a
	# fixed port, 127.0.0.1:8088, that a second instance could not bind); state and data in DIR.
	DO_NOT_TRACK=1 "$binary" \
		--listen-addr="127.0.0.1:$port" \
		--handler=sqlite \
		--sqlite-url="file:$dir/data/" \
		--state-dir="$dir" \
		--telemetry=disable \
		--debug-addr=- \
		--log-level=warn \
		>"$dir/ferretdb.log" 2>&1 &
	local pid=$!
	echo "$pid" >"$dir/ferretdb.pid"
	for _ in $(seq 1 100); do
		if ! kill -0 "$pid" 2>/dev/null; then
			cat "$dir/ferretdb.log" >&2
			die "FerretDB exited during startup"
		fi
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "mongodb://127.0.0.1:$port/"
			return
		fi
		sleep 0.1
	done
	kill "$pid" 2>/dev/null || true
	die "FerretDB did not listen on 127.0.0.1:$port within 10 s (log: $dir/ferretdb.log)"
}

stop() {
	local dir="${1:-}"
	[ -n "$dir" ] || die "usage: ferretdb.sh stop DIR"
	[ -f "$dir/ferretdb.pid" ] || return 0
	local pid
	pid="$(cat "$dir/ferretdb.pid")"
	if kill "$pid" 2>/dev/null; then
		for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	rm -f "$dir/ferretdb.pid"
}

case "${1:-}" in
build) build ;;
start) start "${2:-}" ;;
stop) stop "${2:-}" ;;
*) die "usage: ferretdb.sh build | start DIR | stop DIR" ;;
esac
