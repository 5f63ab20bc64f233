#!/usr/bin/env sh
# Trunk post-build hook (Trunk.toml): copies into the page only what the Phase diagram tab reads,
# data/phase-diagrams/shipped.json, the diagram.json of every well it lists and the reproduced
# compressions' summary, never the campaigns' checkpoints (points/) or plots.
set -eu
src="data/phase-diagrams"
dest="${TRUNK_STAGING_DIR:?run by trunk build}/phase-diagrams"
mkdir -p "$dest"
cp "$src/shipped.json" "$src/reproduced-compressions.json" "$dest/"
for well in $(grep -o '"[a-z]*"' "$src/shipped.json" | tr -d '"'); do
  file="$src/$well-1to2/diagram.json"
  if [ ! -f "$file" ]; then
    echo "copy-phase-data: $src/shipped.json lists '$well' but $file is missing" >&2
    exit 1
  fi
  mkdir -p "$dest/$well-1to2"
  cp "$file" "$dest/$well-1to2/diagram.json"
done
