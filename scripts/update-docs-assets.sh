#!/usr/bin/env bash
# update-docs-assets.sh vendors the Swagger UI and ReDoc browser bundles that
# internal/docs embeds, so the API documentation pages work offline.
#
# Usage: scripts/update-docs-assets.sh
#
# The versions are pinned below. Redoc must stay on 2.x: 3.x sends telemetry.
set -euo pipefail

SWAGGER_UI_VERSION="5.35.0"
REDOC_VERSION="2.5.4"

case "$REDOC_VERSION" in
  2.*) ;;
  *) echo "redoc must stay on 2.x (got $REDOC_VERSION)" >&2; exit 1 ;;
esac

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$repo_root/internal/docs/assets"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# fetch NAME VERSION extracts the npm tarball of NAME@VERSION into $work/NAME.
fetch() {
  local name="$1" version="$2" tarball
  mkdir -p "$work/$name"
  tarball="$(cd "$work" && npm pack --silent "$name@$version")"
  tar -xzf "$work/$tarball" -C "$work/$name" --strip-components=1
}

fetch swagger-ui-dist "$SWAGGER_UI_VERSION"
fetch redoc "$REDOC_VERSION"

# check NAME VERSION fails unless the extracted package is NAME@VERSION.
check() {
  local name="$1" version="$2" got
  got="$(node -p "require('$work/$name/package.json').version")"
  if [[ "$got" != "$version" ]]; then
    echo "$name: expected version $version, got $got" >&2
    exit 1
  fi
}

check swagger-ui-dist "$SWAGGER_UI_VERSION"
check redoc "$REDOC_VERSION"

mkdir -p "$dest"
# Remove previously vendored files; the package's own files (init scripts,
# docs.css) stay.
rm -f "$dest/swagger-ui-bundle.js" "$dest/swagger-ui.css" \
  "$dest/swagger-ui-standalone-preset.js" "$dest/redoc.standalone.js" \
  "$dest"/LICENSE.* "$dest"/NOTICE.* "$dest"/*.LICENSE.txt "$dest/VERSIONS"

# copy_stripped SRC DST copies SRC to DST without its sourceMappingURL comment.
copy_stripped() {
  sed -E '/^[[:space:]]*(\/\/|\/\*)# sourceMappingURL=[^[:space:]]*([[:space:]]*\*\/)?[[:space:]]*$/d' \
    "$1" >"$2"
}

copy_stripped "$work/swagger-ui-dist/swagger-ui-bundle.js" "$dest/swagger-ui-bundle.js"
copy_stripped "$work/swagger-ui-dist/swagger-ui.css" "$dest/swagger-ui.css"
cp "$work/swagger-ui-dist/LICENSE" "$dest/LICENSE.swagger-ui"
cp "$work/swagger-ui-dist/swagger-ui-bundle.js.LICENSE.txt" "$dest/swagger-ui-bundle.js.LICENSE.txt"
if [[ -f "$work/swagger-ui-dist/NOTICE" ]]; then
  cp "$work/swagger-ui-dist/NOTICE" "$dest/NOTICE.swagger-ui"
fi

copy_stripped "$work/redoc/bundles/redoc.standalone.js" "$dest/redoc.standalone.js"
cp "$work/redoc/LICENSE" "$dest/LICENSE.redoc"
cp "$work/redoc/bundles/redoc.standalone.js.LICENSE.txt" "$dest/redoc.standalone.js.LICENSE.txt"

cat >"$dest/VERSIONS" <<VERSIONS
swagger-ui-dist $SWAGGER_UI_VERSION
redoc $REDOC_VERSION
VERSIONS

echo "vendored swagger-ui-dist@$SWAGGER_UI_VERSION and redoc@$REDOC_VERSION into ${dest#"$repo_root"/}"
