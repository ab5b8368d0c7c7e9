# shellcheck shell=bash
# npm packages from committed lock files, and the web app's build. Sourced by scripts/start and
# scripts/test (after common.sh; Node comes from herald_ensure_deps --with-node).
#
# herald_npm_install DIR: `npm ci` (clean install from DIR/package-lock.json, local to DIR, no
#   install scripts) unless DIR/node_modules already matches package-lock.json and package.json.
# herald_build_web: herald_npm_install web, then `npm run build` (type check + Vite) into
#   web/dist, unless web/dist is newer than every source file of the app.

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

HERALD_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"

herald_npm_install() {
  local dir="$HERALD_ROOT/$1" stamp want
  stamp="$dir/node_modules/.herald-lock.sha256"
  want="$(cat -- "$dir/package-lock.json" "$dir/package.json" | sha256sum | cut -d' ' -f1)"
  if [[ "$(cat -- "$stamp" 2>/dev/null || true)" != "$want" ]]; then
    herald_say npm "npm ci in $1"
    # shellcheck disable=SC2317 # called through herald_run_bg
    npm_ci_in() { cd -- "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null; }
    herald_run_bg npm_ci_in || return 1
    printf '%s\n' "$want" >"$stamp"
  fi
}

herald_build_web() {
  local web="$HERALD_ROOT/web"
  # One build at a time in this tree (two scripts/test runs side by side share web/dist).
  exec {lock_fd}>"$web/.build.lock"
  flock "$lock_fd"
  herald_build_web_locked
  local rc=$?
  exec {lock_fd}>&-
  return "$rc"
}

herald_build_web_locked() {
  local web="$HERALD_ROOT/web" newer
  herald_npm_install web || return 1
  if [[ -f "$web/dist/index.html" ]]; then
    newer="$(find "$web/src" "$web/index.html" "$web/package.json" "$web/vite.config.ts" "$web/tsconfig.json" \
      -newer "$web/dist/index.html" -print -quit)"
    if [[ -z "$newer" ]]; then
      herald_say web "web/dist is up to date"
      return 0
    fi
  fi
  herald_say web "building the web app into web/dist"
  # shellcheck disable=SC2317 # called through herald_run_bg
  web_build_in() { cd -- "$web" && npm run --silent build; }
  herald_run_bg web_build_in
}
