#!/usr/bin/env bash
# Runs every test: installs the system packages the build needs when they are missing (Debian/Ubuntu,
# as root), builds the package with its tests, then runs them (the debugger's end-to-end tests drive
# the real binary in tmux).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/system-packages.sh

swift build --build-tests
# Serially: several suites block a thread on purpose (UI loops, child processes, tmux), and on a
# 2-core machine parallel suites could starve the cooperative pool that the others need.
swift test --skip-build --no-parallel "$@"
# OTLP export across two processes (a build of the CLI with the OTLP trait; ~1 minute).
scripts/otlp-smoke.sh
