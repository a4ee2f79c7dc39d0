# shellcheck shell=bash
# Sourced by test/browser/run.sh and scripts/screenshots.sh (after scripts/lib/env.sh): ensure_chromium
# installs Debian's chromium with apt-get when $BREX_X3_CHROMIUM (default /usr/bin/chromium) is missing.
# playwright-core drives that browser; Playwright's own browser download is never used.

BREX_X3_CHROMIUM=${BREX_X3_CHROMIUM:-/usr/bin/chromium}
export BREX_X3_CHROMIUM

ensure_chromium() {
	[ -x "$BREX_X3_CHROMIUM" ] && return 0
	if [ "$BREX_X3_CHROMIUM" != /usr/bin/chromium ]; then
		brex_error "BREX_X3_CHROMIUM=$BREX_X3_CHROMIUM is not an executable file"
		return 1
	fi
	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
			sudo=(sudo -n)
		else
			brex_error "Chromium is missing and installing it needs root: run 'sudo apt-get install -y chromium'" \
				"(or set BREX_X3_CHROMIUM to a Chromium binary)"
			return 1
		fi
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		brex_error "Chromium is missing and this machine has no apt-get: install Chromium and set BREX_X3_CHROMIUM"
		return 1
	fi
	local log=$TOOLS/chromium-install.log
	mkdir -p "$TOOLS"
	: >"$log"
	brex_log "Chromium not found at /usr/bin/chromium: installing Debian's chromium (apt-get install -y chromium, ~1 min; log: $log)"
	if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >>"$log" 2>&1; then
		brex_log 'apt-get install failed; refreshing the package lists (apt-get update) and trying again'
		if ! "${sudo[@]}" apt-get update >>"$log" 2>&1 ||
			! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >>"$log" 2>&1; then
			brex_error "could not install chromium with apt-get; last lines of $log:"
			tail -n 20 "$log" >&2
			return 1
		fi
	fi
	if [ ! -x /usr/bin/chromium ]; then
		brex_error "apt-get installed chromium but /usr/bin/chromium is still missing (see $log)"
		return 1
	fi
	brex_log "installed $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
}
