#!/usr/bin/env bash
# Opens the terminal debugger on the built-in sample flows: installs the system packages the build
# needs when they are missing (Debian/Ubuntu, as root), builds, then runs `flowscope` with any
# arguments given (e.g. `scripts/run.sh --theme light`, `scripts/run.sh traces list`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/system-packages.sh

swift build --product flowscope
exec .build/debug/flowscope "$@"
