#!/usr/bin/env bash
# Builds the project's image end to end on this machine: the JRE base from Debian packages
# (build-base.sh), then localhost/dentry-guard:<project version> from tools/images/Containerfile
# with the packaged jars and the launcher. Prints the image's size. Root, like podman here.
#
#   tools/images/build.sh          # packages the jars first (mvn package) where they are missing
#
# Rebuild it after changing the code: it takes the jars as they are in */target.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"

started=$SECONDS
"$here/build-base.sh"

# The project's version: the root pom's own <version> (it has no parent).
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n1)"
[[ -n "$version" ]] || { echo "build.sh: no <version> in $root/pom.xml" >&2; exit 1; }
image="localhost/dentry-guard:$version"
probe_jar="$root/node-probe/target/node-probe-$version-all.jar"
operator_jar="$root/operator/target/operator-$version-all.jar"

if [[ ! -f "$probe_jar" || ! -f "$operator_jar" ]]; then
  echo "build.sh: packaged jars missing; running mvn -B -DskipTests -DskipITs package" >&2
  (cd "$root" && mvn -B -q -DskipTests -DskipITs package)
fi

# One build of the image at a time on a machine: checkouts share podman's storage.
exec 9>"${TMPDIR:-/tmp}/dentry-guard-image.lock"
flock 9

context="$(mktemp -d "${TMPDIR:-/tmp}/dentry-guard-image.XXXXXX")"
trap 'rm -rf "$context"' EXIT
mkdir "$context/lib"
cp "$root/dentry-guard" "$context/dentry-guard"
cp "$probe_jar" "$context/lib/node-probe.jar"
cp "$operator_jar" "$context/lib/operator.jar"

revision="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
podman build --quiet --file "$here/Containerfile" --build-arg "VERSION=$version" --build-arg "REVISION=$revision" \
  --tag "$image" "$context" >/dev/null

size=$(podman image inspect --format '{{.Size}}' "$image")
base=$(podman image inspect --format '{{.Size}}' localhost/jre-base:17)
echo "build.sh: built $image in $((SECONDS - started)) s: $size bytes ($((size / 1000000)) MB; the base $((base / 1000000)) MB, dentry-guard's layers $(((size - base) / 1000000)) MB)"
