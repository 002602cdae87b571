#!/bin/sh
# production-tree.sh <package> <out-dir>: the production tree of one workspace service, for its image.
#
# Run from the workspace root after `pnpm fetch --prod` filled the store. Installs the production dependencies of
# <package> and of the workspace libraries it depends on (offline, from the lockfile), then copies into <out-dir>,
# keeping the workspace layout: node_modules/ (the virtual store), the service's folder and each library's folder,
# without their tests and dev-only scripts.
#
# Why not `pnpm deploy`: it copies workspace libraries into node_modules/.pnpm/, and Node refuses to strip types
# from .ts files under node_modules (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING); the libraries export their
# sources. A filtered workspace install links them instead (services/<name>/node_modules/@splitserve/contracts ->
# ../../../../libs/contracts), and Node resolves the link to its real path, which is outside any node_modules.
set -eu

package=$1
out=$2

pnpm install --offline --frozen-lockfile --prod --filter-prod "$package..."

root=$(pwd -P)

# onnxruntime-node ships its native libraries for every platform (about 290 MB); the image needs only its own.
# Only in this install's own copy (never through a link into a store shared with other projects).
arch=$(node -p process.arch)
for binaries in node_modules/.pnpm/onnxruntime-node@*/node_modules/onnxruntime-node/bin/napi-v*; do
  [ -d "$binaries" ] || continue
  case $(cd "$binaries" && pwd -P) in "$root"/node_modules/*) ;; *) continue ;; esac
  for target in "$binaries"/*/*; do
    [ "$target" = "$binaries/linux/$arch" ] || rm -rf "$target"
  done
  rmdir "$binaries"/* 2>/dev/null || true
done

mkdir -p "$out"
cp -a node_modules "$out/"
# One line per project: the service, then the workspace libraries it needs at run time (devDependencies left out).
pnpm --filter-prod "$package..." list --depth -1 --parseable | while IFS= read -r project; do
  relative=${project#"$root"/}
  mkdir -p "$out/$relative"
  cp -a "$project/." "$out/$relative/"
  rm -rf "$out/$relative/test" "$out/$relative/scripts"
done
find "$out" -name '*.test.ts' -not -path '*/node_modules/*' -delete

