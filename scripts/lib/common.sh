# Shared by scripts/run, scripts/test and scripts/bench: install what is missing, build.
# Idempotent: a second run installs nothing and rebuilds only what changed.
set -euo pipefail

AH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CCACHE_BASEDIR="$AH_ROOT"   # cache hits across checkouts in different folders
export CCACHE_NOHASHDIR=1          # (debug info then names the first folder; harmless)
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-5G}"

# What building and serving needs.
AH_BUILD_PACKAGES=(cmake ninja-build g++ ccache pkg-config git
  libboost-dev libsqlite3-dev sqlite3 libpq-dev libkainjow-mustache-dev nlohmann-json3-dev
  libsodium-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libspdlog-dev libcli11-dev libqrencode-dev libhpdf-dev
  libxlsxwriter-dev libssl-dev zlib1g-dev libcurl4-openssl-dev libgtest-dev libgmock-dev
  libbenchmark-dev fonts-dejavu-core)
# What the tests need on top: PostgreSQL, Chromium, promtool, clang's libFuzzer, and the
# outside parsers the tests read files back with (openpyxl, xmllint, icalendar).
AH_TEST_PACKAGES=(postgresql-15 chromium prometheus clang-16 libclang-rt-16-dev
  curl python3 python3-aiosmtpd openssl poppler-utils zbar-tools python3-openpyxl libxml2-utils
  python3-icalendar)
# What benchmarks need on top.
AH_BENCH_PACKAGES=(wrk nginx-light sqlite3 postgresql-15)

say() { printf '==> %s\n' "$*" >&2; }

# ensure_packages PKG...: installs the Debian packages that are not installed yet.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_node_modules: npm ci when node_modules does not match package-lock.json. Node.js
# and npm come from Debian unless the machine already has them (e.g. from NodeSource, whose
# nodejs package conflicts with Debian's npm).
ensure_node_modules() {
  command -v node >/dev/null && command -v npm >/dev/null || ensure_packages nodejs npm
  local stamp="$AH_ROOT/node_modules/.ah-lock.sha256"
  local want
  want=$(sha256sum "$AH_ROOT/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "npm ci (front-end assets and browser test tools)"
  (cd "$AH_ROOT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$want" > "$stamp"
}

# build DIR TYPE TARGET [extra cmake args]: configures once, then builds TARGET ("all" for
# everything) incrementally.
build() {
  local dir="$1" type="$2" target="$3"
  shift 3
  if [ ! -f "$dir/build.ninja" ]; then
    say "configuring $type build in ${dir#$AH_ROOT/}"
    cmake -S "$AH_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  fi
  say "building ${dir#$AH_ROOT/} ($type, $target)"
  if ! cmake --build "$dir" --target "$target" -- -j"$(nproc)" >"$dir/last-build.log" 2>&1; then
    grep -vE '^\[[0-9]+/[0-9]+\] ' "$dir/last-build.log" | tail -n 60 >&2
    say "build failed (full log: ${dir#$AH_ROOT/}/last-build.log)"
    return 1
  fi
}
