# Shared set-up for the scripts in this folder: a .venv with the project installed.
# Sourced, not run. Installs only what is missing, so a second run is fast.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"

pick_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "error: Python 3.11 or newer is needed (python3.11, python3.12 or python3)" >&2
  return 1
}

ensure_venv() {  # ensure_venv [extras]
  local extras="${1:-}" stamp want
  if [ ! -x "$VENV/bin/python" ]; then
    echo "Creating $VENV ..." >&2
    "$(pick_python)" -m venv "$VENV"
  fi
  want="$(sha256sum pyproject.toml | cut -c1-16)-${extras:-base}"
  stamp="$VENV/.peel-archive-installed"
  if [ ! -f "$stamp" ] || ! grep -qx -- "$want" "$stamp"; then
    echo "Installing peel-archive${extras:+ [$extras]} into $VENV ..." >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    # Only one of the distributions that install the `whoosh` package may be present.
    "$VENV/bin/python" -m pip uninstall --quiet --yes whoosh whoosh3 >/dev/null 2>&1 || true
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      -e ".${extras:+[$extras]}"
    echo "$want" > "$stamp"
  fi
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  echo "Installing Debian's chromium for the browser tests ..." >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
}

# axe-core (the accessibility engine the browser tests inject into each page), from the npm
# registry into .cache/axe; pinned so that a new release cannot change the verdicts.
AXE_VERSION="4.10.3"
ensure_axe() {
  local js="$ROOT/.cache/axe/node_modules/axe-core/axe.min.js"
  if [ -f "$js" ] && grep -q "axe v$AXE_VERSION" "$js"; then return 0; fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "Installing Debian's npm for the accessibility checks ..." >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  echo "Installing axe-core $AXE_VERSION for the accessibility checks ..." >&2
  mkdir -p "$ROOT/.cache/axe"
  npm install --silent --no-audit --no-fund --no-save --prefix "$ROOT/.cache/axe" \
    "axe-core@$AXE_VERSION" >/dev/null
}
