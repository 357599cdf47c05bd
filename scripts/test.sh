#!/usr/bin/env bash
# Runs every test: installs the system packages the build needs when they are missing (Debian/Ubuntu,
# as root), builds the package with its tests, then runs them (the debugger's end-to-end tests drive
# the real binary in tmux).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/system-packages.sh

swift build --build-tests
swift test --skip-build "$@"
