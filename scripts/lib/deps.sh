# shellcheck shell=bash
# herald_ensure_deps [--with-node] [--with-browser]
#
# Installs with apt-get the Debian packages Herald needs to build, test and run, but only those
# that are missing (checked with one dpkg-query call, which takes a few milliseconds when all are
# present). `apt-get update` runs once, and only when something is missing. apt's output goes to a
# log file that is shown if the install fails.
#
#   --with-node      also nodejs + npm, unless `node` (and `npm`) are already on PATH
#                    (the machine image may ship Node outside apt)
#   --with-browser   also chromium, chromium-driver and CJK fonts (web end-to-end tests)
#
# Not root and something missing: prints the exact command to run, then exits 1.
# Sourced by scripts/start and scripts/test.

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Build toolchain, C++ libraries, test frameworks and the servers the tests and `start` run
# (plus kubernetes-client when no kubectl is on PATH: see herald_ensure_deps).
HERALD_BASE_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config git curl jq ca-certificates
  libboost-dev libboost-system-dev libboost-context-dev libssl-dev
  libpqxx-dev libhiredis-dev libcpp-httplib-dev nlohmann-json3-dev libspdlog-dev
  libhowardhinnant-date-dev libargon2-dev libhyperscan-dev libopencc-dev libopencc-data libqrencode-dev libzbar-dev
  libgtest-dev libgmock-dev googletest
  postgresql-15 redis-server
)
HERALD_BROWSER_PACKAGES=(chromium chromium-driver fonts-noto-cjk)

# herald_missing_packages PACKAGE...: prints the packages that are not installed, one per line.
herald_missing_packages() {
  local -A installed=()
  local name status
  # One dpkg-query for all packages. Unknown packages only produce a message on stderr (and a
  # non-zero exit status), so they simply do not appear as installed.
  while read -r name status; do
    if [[ "$status" == "installed" ]]; then
      installed["${name%%:*}"]=1
    fi
  done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "$@" 2>/dev/null || true)
  for name in "$@"; do
    if [[ -z "${installed[$name]:-}" ]]; then
      printf '%s\n' "$name"
    fi
  done
}

herald_ensure_deps() {
  local with_node=0 with_browser=0 arg
  for arg in "$@"; do
    case "$arg" in
      --with-node) with_node=1 ;;
      --with-browser) with_browser=1 ;;
      *) herald_die "herald_ensure_deps: unknown option '$arg'" ;;
    esac
  done

  command -v dpkg-query >/dev/null 2>&1 ||
    herald_die "deps: dpkg-query not found: these scripts need Debian 12 (or a derivative)"

  local wanted=("${HERALD_BASE_PACKAGES[@]}")
  # kubectl renders k8s/ for the manifest test (tests/k8s): any kubectl will do (its built-in
  # kustomize), so Debian's kubernetes-client only when none is on PATH.
  command -v kubectl >/dev/null 2>&1 || wanted+=(kubernetes-client)
  if ((with_node)); then
    # Node may come from outside apt (the machine image ships its own): only add what is absent.
    command -v node >/dev/null 2>&1 || wanted+=(nodejs)
    command -v npm >/dev/null 2>&1 || wanted+=(npm)
  fi
  if ((with_browser)); then
    wanted+=("${HERALD_BROWSER_PACKAGES[@]}")
  fi

  local missing=()
  mapfile -t missing < <(herald_missing_packages "${wanted[@]}")
  if ((${#missing[@]} == 0)); then
    herald_say deps "all present"
    return 0
  fi

  local apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300)
  if ((EUID != 0)); then
    {
      printf 'deps: missing %d packages: %s\n' "${#missing[@]}" "${missing[*]}"
      printf 'Install them as root, then run this again:\n'
      printf '  sudo apt-get update && sudo apt-get install -y --no-install-recommends %s\n' "${missing[*]}"
    } >&2
    exit 1
  fi

  herald_say deps "installing ${#missing[@]} packages: ${missing[*]}"
  local log
  log="$(mktemp -t herald-deps.XXXXXX.log)"
  # The lock timeout waits (bounded) for another apt/dpkg run to finish instead of failing.
  if ! DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update >"$log" 2>&1; then
    herald_show_tail "$log" 60
    herald_die "deps: apt-get update failed (full log: $log)"
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" "${missing[@]}" >>"$log" 2>&1; then
    herald_show_tail "$log" 60
    herald_die "deps: apt-get install failed (full log: $log)"
  fi

  # Trust but verify: a package that apt could not configure would otherwise surface much later.
  local still_missing=()
  mapfile -t still_missing < <(herald_missing_packages "${missing[@]}")
  if ((${#still_missing[@]} > 0)); then
    herald_show_tail "$log" 60
    herald_die "deps: still not installed after apt-get: ${still_missing[*]} (full log: $log)"
  fi
  rm -f -- "$log"
  herald_say deps "installed ${#missing[@]} packages"
}
