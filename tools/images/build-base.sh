#!/usr/bin/env bash
# Builds localhost/jre-base:17, the base of the project's images: Debian with a Java 17 runtime and
# nothing else, from Debian packages (no image registry is reachable from the project's machines),
# with mmdebstrap, imported with podman. Does nothing when the image exists. Root, like podman here.
#
#   tools/images/build-base.sh             # DEBIAN_MIRROR=... to use another mirror
#
# Needs: podman runc mmdebstrap uidmap (apt). Takes about 30 s and 400 MB of storage.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"

image=localhost/jre-base:17
suite=bookworm
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
packages=openjdk-17-jre-headless

for tool in podman mmdebstrap; do
  command -v "$tool" >/dev/null || { echo "build-base.sh: $tool is missing (apt-get install podman runc mmdebstrap uidmap)" >&2; exit 1; }
done

# One build at a time on a machine: two checkouts may run this together.
exec 9>"${TMPDIR:-/tmp}/dentry-guard-jre-base.lock"
flock 9

if podman image exists "$image"; then
  echo "build-base.sh: $image exists, nothing to do"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/jre-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT

started=$SECONDS
# --variant=apt: essential packages, apt and what is included. /usr/share/man is kept: openjdk's
# post-install script fails without it.
mmdebstrap --quiet --variant=apt --include="$packages" "$suite" "$work/rootfs.tar" "$mirror"
# An imported tarball has no configuration: give it the PATH and locale a Debian image has.
podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change "LABEL io.dentryguard.base.suite=$suite" \
  --change "LABEL io.dentryguard.base.packages=$packages" \
  "$work/rootfs.tar" "$image" >/dev/null
echo "build-base.sh: built $image in $((SECONDS - started)) s ($(podman image inspect --format '{{.Size}}' "$image") bytes)"
