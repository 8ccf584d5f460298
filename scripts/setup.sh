#!/usr/bin/env bash
# Sets up a fresh machine for this workspace: pnpm at the pinned version, the system packages the tests
# use (Debian's Chromium, with Xvfb + xdotool to drive its real toolbar popup headed, and Firefox ESR, for the
# browser-extension tests; git-filter-repo for `signus incident`'s history purge; ripgrep for the benchmark; libkrb5-dev for the VS Code test host), the
# workspace's packages from the lockfile, the pinned Python tools (scripts/python-tools.txt), and a build.
set -euo pipefail
cd "$(dirname "$0")/.."

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$pnpm_version" ]; then
  echo "setup: installing pnpm $pnpm_version"
  npm install --global --no-fund --no-audit "pnpm@$pnpm_version"
fi

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
[ -x /usr/bin/Xvfb ] || missing+=(xvfb)
[ -x /usr/bin/xdotool ] || missing+=(xdotool)
command -v git >/dev/null 2>&1 || missing+=(git)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
# `signus incident` rewrites a mirror clone with git filter-repo, which must be on PATH as `git filter-repo`
# (a venv's bin is not). Debian's package (2.38) rather than PyPI's 2.47.0 in .tools/venv: the purge uses only
# --replace-text and --replace-message, which both have, and PyPI is not reachable where CI runs.
git filter-repo --version >/dev/null 2>&1 || missing+=(git-filter-repo)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages: ${missing[*]}" >&2
    exit 1
  fi
fi

pnpm install --frozen-lockfile

# The pre-commit framework, which the hook-manager tests run for real, in a venv of ours (pinned).
if ! cmp -s scripts/python-tools.txt .tools/venv/.installed 2>/dev/null; then
  echo "setup: installing the Python tools (scripts/python-tools.txt) into .tools/venv"
  rm -rf .tools/venv
  python3 -m venv .tools/venv
  .tools/venv/bin/pip install --quiet --retries 1 --no-deps --require-virtualenv -r scripts/python-tools.txt
  cp scripts/python-tools.txt .tools/venv/.installed
fi

pnpm build
