#!/usr/bin/env bash
# Installs the compatibility peer: Genkit Python 0.12.0 + genkit-fastapi on uvicorn (httptools,
# uvloop) in a private venv, for Tests/PeerCompatibilityTests and Benchmarks/http.sh.
#
#   scripts/install-peer.sh [DIR]       DIR defaults to $FLOWSCOPE_PEER_DIR or ~/.cache/flowscope-peer
#
# Result: DIR/venv/bin/uvicorn (and python) with the pins of Tests/Peer/requirements.txt; the app
# itself stays in Tests/Peer/peer_app.py (run with `--app-dir Tests/Peer`).
# Idempotent: when DIR/requirements.txt equals the repository's and the imports work, nothing is
# downloaded (a second run takes about a second); a fresh install takes ~15 s (PyPI only).
set -euo pipefail

DIR="${1:-${FLOWSCOPE_PEER_DIR:-$HOME/.cache/flowscope-peer}}"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REQUIREMENTS="$SCRIPT_DIR/../Tests/Peer/requirements.txt"

say() { printf '==> %s\n' "$*"; }

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
PY="$DIR/venv/bin/python"
check() { "$PY" -c 'import genkit, genkit_fastapi, fastapi, uvicorn, httptools, uvloop' 2>/dev/null; }

if [ -x "$PY" ] && cmp -s "$REQUIREMENTS" "$DIR/requirements.txt" && check; then
  say "peer present in $DIR"
else
  if [ ! -x "$PY" ]; then
    say "creating Python venv in $DIR/venv"
    python3 -m venv "$DIR/venv"
  fi
  say "installing $(grep -cE '^[A-Za-z]' "$REQUIREMENTS") pinned packages (genkit 0.12.0, genkit-fastapi, uvicorn[standard])"
  "$PY" -m pip --disable-pip-version-check -q install -r "$REQUIREMENTS"
  check || { echo "error: the peer's packages do not import after installing" >&2; exit 1; }
  cp "$REQUIREMENTS" "$DIR/requirements.txt"
fi

say "done"
echo "uvicorn: $DIR/venv/bin/uvicorn ($("$PY" -c 'import genkit, importlib.metadata as m; print("genkit", m.version("genkit"))'))"
