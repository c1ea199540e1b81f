#!/usr/bin/env bash
# Proves the tarballs install and run outside the repository: packs server and client, installs
# each into an empty folder of its own, runs `npx bigin-server --version` and a start with /health,
# and imports the SDK. Run after `npm run build` (CI: .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
mapfile -t tarballs < <(node scripts/pack.mjs "$work/tarballs")
server_tgz="${tarballs[0]}"
client_tgz="${tarballs[1]}"
version="$(node -p 'require("./packages/server/package.json").version')"

mkdir "$work/server-app" "$work/sdk-app"
(cd "$work/server-app" && npm init -y >/dev/null && npm install --no-audit --no-fund --prefer-offline "$server_tgz" >/dev/null)
got="$(cd "$work/server-app" && npx --no-install bigin-server --version)"
[ "$got" = "$version" ] || { echo "npx bigin-server --version printed '$got', expected '$version'" >&2; exit 1; }
(cd "$work/server-app" && PORT=0 DATA_CENTER_PORTS=none DATA_DIR="$work/data" LOG_FORMAT=json \
  npx --no-install bigin-server >"$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 100); do
  url="$(grep -o 'Server listening at http://[0-9.:]*' "$work/server.log" | head -1 | sed 's/Server listening at //')" || true
  [ -n "${url:-}" ] && curl -fsS "$url/health" >/dev/null && break
  sleep 0.2
done
curl -fsS "$url/health" | grep -q '"ok"' || { cat "$work/server.log" >&2; exit 1; }
kill "$server_pid"

(cd "$work/sdk-app" && npm init -y >/dev/null && npm pkg set type=module && npm install --no-audit --no-fund --prefer-offline "$client_tgz" >/dev/null)
(cd "$work/sdk-app" && node -e "import('@bigin-attachments/client').then((m) => { if (typeof m.BiginClient !== 'function') process.exit(1); })")
(cd "$work/sdk-app" && npx --no-install bigin --help >/dev/null)
echo "packages install and run outside the repository: server $version (npx bigin-server), client SDK and bigin CLI"
