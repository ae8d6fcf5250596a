#!/bin/sh
# Refreshes web/vendor/ from the npm registry: the browser builds (UMD,
# minified) of the libraries the page uses, their licences, and a list of
# what came from where. npm checks each tarball against the registry's
# integrity hash. The files are committed, so neither `make` nor the
# container needs npm or the network.
# usage: tools/vendor-web.sh   (from the repository root)
set -eu
# d3-force lays the actor-target network out (a Barnes-Hut simulation,
# velocity Verlet); the other three are what it is built on.
PACKAGES="d3-dispatch@3.0.2 d3-quadtree@3.0.2 d3-timer@3.0.2 d3-force@3.0.1"
out=web/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
list="$out/VERSIONS.txt"
{
    echo "Third-party files of the web page, from the npm registry (tools/vendor-web.sh)."
    echo "package version licence integrity"
} >"$list.new"
for spec in $PACKAGES; do
    name=${spec%@*}
    (cd "$work" && npm pack --silent "$spec" >/dev/null)
    mkdir -p "$work/$name"
    tar -xzf "$work/$name-${spec#*@}.tgz" -C "$work/$name"
    cp "$work/$name/package/dist/$name.min.js" "$out/$name.min.js"
    cp "$work/$name/package/LICENSE" "$out/$name.LICENSE.txt"
    licence=$(npm view "$spec" license)
    integrity=$(npm view "$spec" dist.integrity)
    echo "$name ${spec#*@} $licence $integrity" >>"$list.new"
done
mv "$list.new" "$list"
echo "vendor-web: $(ls "$out" | wc -l) files in $out"
