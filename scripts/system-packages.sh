# Sourced by scripts/run.sh and scripts/test.sh: installs the system packages the build needs when
# they are missing (Debian/Ubuntu, as root), or says which ones to install.
needed=()
for pkg in libncurses-dev libsqlite3-dev tmux; do
  dpkg -s "$pkg" >/dev/null 2>&1 || needed+=("$pkg")
done
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${needed[@]}"
  else
    echo "missing system packages: ${needed[*]} (install them with apt-get install -y ${needed[*]})" >&2
    exit 1
  fi
fi
