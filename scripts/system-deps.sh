#!/usr/bin/env bash
# Install the system packages the project needs when they are missing (Debian/Ubuntu, as root):
# Java 17 and Maven to provision Neo4j; Compose to check docker-compose.yml; Chromium for the
# explorer's browser tests (with --browser).
# Prints what it does; does nothing when everything is there.
set -euo pipefail
need=()
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need+=(maven)
# `docker compose config` checks docker-compose.yml in the tests; Debian ships Compose as docker-compose.
docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null || need+=(docker-compose)
if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then need+=(chromium); fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing: ${need[*]}. Install them with your package manager, then run make again." >&2
  exit 1
fi
echo "Installing ${need[*]} (apt-get)..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
