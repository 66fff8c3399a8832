#!/usr/bin/env bash
# Builds the real kube-apiserver and etcd the tests run, from their Go modules (go.mod beside this
# script pins them), into the layout fabric8's kube-api-test reads:
#   <dir>/k8s/<version>-linux-<arch>/{kube-apiserver,etcd,kubectl}
# <dir> is $KUBE_BINARIES_DIR, else .cache/kube-api-test in the checkout. Nothing is built when the
# binaries there were built from the same go.mod, go.sum and this script. kubectl is a link to
# Debian's /usr/bin/kubectl: v1.32, within the one minor version of skew kubectl supports.
# Nothing is downloaded but Go modules, from the Go module proxy.
#   --unless-no-go   where there is no go command, say so and exit 0 (mvn verify runs it so: the
#                    real-server tests are then skipped, each with the reason); .ci/run does not
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${KUBE_BINARIES_DIR:-$root/.cache/kube-api-test}"

version="$(sed -n 's/^[[:space:]]*k8s.io\/kubernetes v\([0-9.]*\)\([[:space:]].*\)\{0,1\}$/\1/p' "$here/go.mod")"
[[ -n "$version" ]] || { echo "kube-binaries: no k8s.io/kubernetes version in $here/go.mod" >&2; exit 1; }
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  *) echo "kube-binaries: no build for $(uname -m)" >&2; exit 1 ;;
esac
out="$dir/k8s/$version-linux-$arch"
stamp="$(cat "$here/go.mod" "$here/go.sum" "$here/build.sh" | sha256sum | cut -c1-16)"

if [[ -x "$out/kube-apiserver" && -x "$out/etcd" && -e "$out/kubectl" && "$(cat "$out/.built-from" 2>/dev/null)" == "$stamp" ]]; then
  echo "kube-binaries: Kubernetes $version found in $out"
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "kube-binaries: no go command: cannot build kube-apiserver and etcd; the tests that need them will be skipped (Debian: apt-get install golang)" >&2
  [[ "${1:-}" == "--unless-no-go" ]] && exit 0
  exit 1
fi
command -v kubectl >/dev/null || { echo "kube-binaries: kubectl is needed (Debian: apt-get install kubernetes-client)" >&2; exit 1; }

minor="${version#*.}"; minor="${minor%%.*}"
# What `make` in the Kubernetes tree stamps in (hack/lib/version.sh): /version and kubectl's skew check read it.
stamps=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  stamps+=" -X $pkg.gitVersion=v$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done

mkdir -p "$dir/k8s"
tmp="$(mktemp -d "$dir/build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
cd "$here"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=readonly
started=$SECONDS
echo "kube-binaries: building kube-apiserver v$version and etcd from their Go modules into $out ..."
go build -trimpath -ldflags "-s -w$stamps" -o "$tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3
ln -s "$(command -v kubectl)" "$tmp/kubectl"
echo "$stamp" > "$tmp/.built-from"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "kube-binaries: built in $((SECONDS - started)) s: $(du -sh --apparent-size "$out/kube-apiserver" | cut -f1) kube-apiserver, $(du -sh --apparent-size "$out/etcd" | cut -f1) etcd"
"$out/kube-apiserver" --version
"$out/etcd" --version | sed -n 1p
