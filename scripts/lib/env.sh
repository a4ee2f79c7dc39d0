# shellcheck shell=bash
# Sourced by every script. Puts a pinned Node 24 first on PATH (installing it into the tool cache on first
# use) and defines ensure_deps / ensure_n8n. Tools live outside the repo because n8n alone is 2.7 GB.
#
#   BREX_X3_TOOLS   tool cache (default ~/.cache/brex-x3-tools): node24/, n8n/, install logs
#
# Quiet when everything is already in place; one line per install step otherwise; clear error on failure.

BREX_X3_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOOLS=${BREX_X3_TOOLS:-$HOME/.cache/brex-x3-tools}
BREX_X3_NODE_VERSION=24.22.3
export BREX_X3_ROOT TOOLS BREX_X3_NODE_VERSION
export BREX_X3_TOOLS=$TOOLS

brex_log() { printf '[brex-x3] %s\n' "$*" >&2; }
brex_error() { printf '[brex-x3] ERROR: %s\n' "$*" >&2; }

# sha256 of the given files' contents, as one word.
brex_hash() { cat "$@" | sha256sum | cut -d' ' -f1; }

# Runs "$@" while holding an exclusive lock on $TOOLS/<name>.lock, so two scripts started at the same time
# do not install into the same folder at once.
brex_with_lock() {
	local name=$1
	shift
	mkdir -p "$TOOLS"
	if command -v flock >/dev/null 2>&1; then
		(
			flock 9
			"$@"
		) 9>"$TOOLS/$name.lock"
	else
		"$@"
	fi
}

# Runs a command with its output in a log file; on failure shows the end of the log.
brex_run_logged() {
	local logfile=$1
	shift
	if ! "$@" >>"$logfile" 2>&1; then
		brex_error "'$*' failed (in $(pwd)); last lines of $logfile:"
		tail -n 40 "$logfile" >&2
		return 1
	fi
}

brex_node_package() {
	local os arch
	case "$(uname -s)" in
		Linux) os=linux ;;
		Darwin) os=darwin ;;
		*)
			brex_error "unsupported OS $(uname -s); install Node $BREX_X3_NODE_VERSION yourself"
			return 1
			;;
	esac
	case "$(uname -m)" in
		x86_64 | amd64) arch=x64 ;;
		aarch64 | arm64) arch=arm64 ;;
		*)
			brex_error "unsupported CPU $(uname -m)"
			return 1
			;;
	esac
	echo "node-$os-$arch"
}

BREX_X3_NODE_PACKAGE=$(brex_node_package) || return 1
BREX_X3_NODE_HOME=$TOOLS/node24/node_modules/$BREX_X3_NODE_PACKAGE
export BREX_X3_NODE_HOME

brex_node_ok() {
	[ -x "$BREX_X3_NODE_HOME/bin/node" ] &&
		[ "$("$BREX_X3_NODE_HOME/bin/node" --version 2>/dev/null)" = "v$BREX_X3_NODE_VERSION" ]
}

brex_install_node() {
	brex_node_ok && return 0
	if ! command -v npm >/dev/null 2>&1; then
		brex_error "npm (any version) is needed once, to fetch Node $BREX_X3_NODE_VERSION into $TOOLS/node24"
		return 1
	fi
	brex_log "installing Node $BREX_X3_NODE_VERSION into $TOOLS/node24 (one-off, ~10 s)"
	mkdir -p "$TOOLS/node24"
	# --prefix keeps npm from walking up to an enclosing project; no package.json is written (--no-save).
	brex_run_logged "$TOOLS/node24-install.log" npm install --prefix "$TOOLS/node24" --no-save \
		--no-package-lock --no-audit --no-fund --ignore-scripts "$BREX_X3_NODE_PACKAGE@$BREX_X3_NODE_VERSION" ||
		return 1
	if ! brex_node_ok; then
		brex_error "Node $BREX_X3_NODE_VERSION did not end up in $BREX_X3_NODE_HOME (see $TOOLS/node24-install.log)"
		return 1
	fi
}

brex_with_lock node24 brex_install_node || return 1

case ":$PATH:" in
	"$BREX_X3_NODE_HOME/bin:"*) ;;
	*) export PATH="$BREX_X3_NODE_HOME/bin:$PATH" ;;
esac
# The machine npmrc sets nodedir=/usr (Node 20 headers) for node-gyp, and yes=false, which makes npx refuse
# to run anything it has to fetch (for example only-allow in a preinstall). Override both for our tools.
export npm_config_nodedir=$BREX_X3_NODE_HOME
export npm_config_yes=true
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
# An outer `npm test` run under another Node leaves these pointing at it.
unset npm_node_execpath NODE

# Installs the repo's dev dependencies when node_modules is missing or package-lock.json changed since the
# last install (sha256 stamp inside node_modules).
ensure_deps() {
	(
		cd "$BREX_X3_ROOT" || exit 1
		local stamp=node_modules/.brex-x3-deps.stamp want
		want="$(brex_hash package-lock.json) node-v$BREX_X3_NODE_VERSION"
		[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && exit 0
		# A tree installed before stamps existed: npm's hidden lockfile newer than package-lock.json means
		# npm installed from this lockfile, so adopt it instead of reinstalling.
		if [ ! -f "$stamp" ] && [ -f node_modules/.package-lock.json ] &&
			[ ! node_modules/.package-lock.json -ot package-lock.json ] && [ -x node_modules/.bin/jest ]; then
			echo "$want" >"$stamp"
			exit 0
		fi
		brex_log "installing dev dependencies (npm ci)"
		: >"$TOOLS/deps-install.log"
		brex_run_logged "$TOOLS/deps-install.log" npm ci --ignore-scripts --no-audit --no-fund || exit 1
		echo "$want" >"$stamp"
	)
}

BREX_X3_N8N_HOME=$TOOLS/n8n
export BREX_X3_N8N_HOME

brex_install_n8n() {
	local host=$BREX_X3_ROOT/test/e2e/n8n-host dir=$BREX_X3_N8N_HOME
	local stamp=$dir/node_modules/.brex-x3-n8n.stamp want
	want="$(brex_hash "$host/package.json" "$host/package-lock.json") node-v$BREX_X3_NODE_VERSION"
	[ -x "$dir/node_modules/.bin/n8n" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
	# Adopt a complete install from the same lockfile made without this script (no stamp, no marker).
	if [ -x "$dir/node_modules/.bin/n8n" ] && [ ! -f "$stamp" ] && [ ! -e "$dir/.installing" ] &&
		cmp -s "$host/package-lock.json" "$dir/package-lock.json" &&
		cmp -s "$host/package.json" "$dir/package.json" &&
		[ -f "$dir/node_modules/sqlite3/build/Release/node_sqlite3.node" ]; then
		echo "$want" >"$stamp"
		return 0
	fi
	local log=$TOOLS/n8n-install.log
	brex_log "installing n8n from test/e2e/n8n-host into $dir (one-off, ~5 min, 2.7 GB; log: $log)"
	mkdir -p "$dir"
	: >"$log"
	touch "$dir/.installing"
	cp "$host/package.json" "$host/package-lock.json" "$dir/" || return 1
	# --ignore-scripts: kafka's native build needs GitHub downloads and would roll back the whole install;
	# sqlite3 is the only native module n8n needs here, so build just that one.
	(cd "$dir" && brex_run_logged "$log" npm ci --ignore-scripts --no-audit --no-fund) || return 1
	brex_log "building sqlite3 for n8n (~2 min)"
	(cd "$dir" && brex_run_logged "$log" npm rebuild sqlite3) || return 1
	if [ ! -f "$dir/node_modules/sqlite3/build/Release/node_sqlite3.node" ]; then
		brex_error "sqlite3 native module missing after rebuild (see $log)"
		return 1
	fi
	echo "$want" >"$stamp"
	rm -f "$dir/.installing"
	brex_log "n8n installed"
}

# Installs n8n (pinned by test/e2e/n8n-host/package-lock.json) into $TOOLS/n8n when it is missing or the
# lockfile changed since the last install.
ensure_n8n() {
	brex_with_lock n8n brex_install_n8n
}

# verdaccio (a local npm registry) for the browser test that installs the packed package through the editor's
# Community Nodes page (test/browser/install.browser.test.ts). Pinned; kept in the tool cache like n8n, not a
# dependency of the repo.
BREX_X3_VERDACCIO_VERSION=6.8.0
BREX_X3_VERDACCIO_HOME=$TOOLS/verdaccio
export BREX_X3_VERDACCIO_VERSION BREX_X3_VERDACCIO_HOME

brex_install_verdaccio() {
	local dir=$BREX_X3_VERDACCIO_HOME stamp=$BREX_X3_VERDACCIO_HOME/node_modules/.brex-x3-verdaccio.stamp want
	want="verdaccio@$BREX_X3_VERDACCIO_VERSION node-v$BREX_X3_NODE_VERSION"
	[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$dir/node_modules/verdaccio/bin/verdaccio" ] && return 0
	local log=$TOOLS/verdaccio-install.log
	brex_log "installing verdaccio $BREX_X3_VERDACCIO_VERSION into $dir (one-off, ~1 min; log: $log)"
	mkdir -p "$dir"
	: >"$log"
	printf '{"name":"brex-x3-verdaccio-host","private":true,"dependencies":{"verdaccio":"%s"}}\n' \
		"$BREX_X3_VERDACCIO_VERSION" >"$dir/package.json"
	# No install scripts: verdaccio needs none (its optional native parts fall back to JavaScript).
	(cd "$dir" && brex_run_logged "$log" npm install --ignore-scripts --no-audit --no-fund) || return 1
	if [ ! -f "$dir/node_modules/verdaccio/bin/verdaccio" ]; then
		brex_error "verdaccio missing after install (see $log)"
		return 1
	fi
	echo "$want" >"$stamp"
}

ensure_verdaccio() {
	brex_with_lock verdaccio brex_install_verdaccio
}
