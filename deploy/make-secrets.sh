#!/usr/bin/env bash
# Makes the province's secrets in deploy/secrets/ for docker-compose.yml (README "Run it as a
# province"), leaving any that exist alone. The courts' token issuer publishes its own keys: put
# its JWKS in deploy/secrets/jwks (this script refuses to invent one).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=deploy/secrets
mkdir -p "$dir"
umask 077
random() { node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('base64url'))"; }
for name in subgraph_secret readiness_token metrics_token; do
  [ -s "$dir/$name" ] || random > "$dir/$name"
done
# Add a password here (postgres://cag:<password>@postgres:5432/...) once PostgreSQL has one.
[ -s "$dir/database_url" ] || printf 'postgres://postgres@postgres:5432/court_asset_graph' > "$dir/database_url"
[ -s "$dir/redis_url" ] || printf 'redis://redis:6379' > "$dir/redis_url"
if [ ! -s "$dir/checkpoint_key" ]; then
  # Its own lines name the pair's first place; the names that count are printed after the move.
  npx tsx lib/audit/checkpoints/checkpointKey.ts "$dir/checkpoint-pair" >/dev/null
  mv "$dir/checkpoint-pair/private.jwk.json" "$dir/checkpoint_key"
  mv "$dir/checkpoint-pair/public.jwks.json" "$dir/checkpoint_public.jwks.json"
  rmdir "$dir/checkpoint-pair"
  echo "checkpoint key pair: $dir/checkpoint_key (AUDIT_CHECKPOINT_KEY_FILE, gateways only), $dir/checkpoint_public.jwks.json (AUDIT_CHECKPOINT_PUBLIC_KEYS, for audit:verify)"
fi
# The containers run as `node` (uid 1000): Docker mounts secret files with their host modes.
chmod 0644 "$dir"/*
[ -s "$dir/jwks" ] || { echo "Put the courts' token issuer's JWKS in $dir/jwks (TOKEN_ISSUER, TOKEN_AUDIENCE: docker-compose.yml)." >&2; exit 1; }
echo "Secrets in $dir."
