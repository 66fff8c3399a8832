#!/usr/bin/env bash
# Builds what tools/cgroup-v2-vm/run.sh boots: a real cgroup v2 kernel under qemu's software
# emulation (shared notes: cgroup-v2-vm.md), into <dir> = $CGROUP_V2_VM_DIR, else
# .cache/cgroup-v2-vm in the checkout:
#   vmlinuz            Debian's current linux-image-6.1 kernel (apt-get download, dpkg-deb -x)
#   initramfs.cpio.gz  a static busybox that loads the virtio, ext4 and 9p modules and switch_roots
#   rootfs.ext4        Debian (mmdebstrap --variant=apt) with a JRE, busybox, procps, util-linux and
#                      mount, and guest-init as its init: it runs run.sh from the host's share
#   kernel-release     the guest kernel's release
# Nothing is done when <dir> holds a build from the same scripts, kernel package and package list.
# Needs root (mmdebstrap into a directory, mke2fs -d keeping owners), apt's package lists, and:
#   apt-get install qemu-system-x86 mmdebstrap e2fsprogs kmod
# Packages come from this machine's own Debian sources.
#   --unless-cannot   where this machine cannot build it (a tool missing, not root, no package lists),
#                     say so and exit 0 (mvn verify runs it so: ReclaimOnRealV2KernelIT is then
#                     skipped with the reason); .ci/run does not
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${CGROUP_V2_VM_DIR:-$root/.cache/cgroup-v2-vm}"
suite=bookworm
packages=openjdk-17-jre-headless,busybox-static,procps,util-linux,mount
# Loaded by the initramfs with their dependencies: the root disk (virtio_blk, ext4 and the crc32c
# its checksums need), and the host's share (9p over virtio).
modules=(crc32c_generic virtio_pci virtio_blk ext4 9pnet_virtio 9p)
image_size=2G

say() { echo "cgroup-v2-vm: $*"; }
unless_cannot="$([[ "${1:-}" == --unless-cannot ]] && echo yes || true)"
cannot() {
  if [[ -n "$unless_cannot" ]]; then
    say "$*: not built; the test that boots it will be skipped"
    exit 0
  fi
  say "$*" >&2
  exit 1
}
for cmd in apt-cache apt-get dpkg-deb mmdebstrap mke2fs depmod modprobe gzip; do
  command -v "$cmd" >/dev/null || cannot "no $cmd: apt-get install qemu-system-x86 mmdebstrap e2fsprogs kmod"
done

# The kernel Debian's linux-image-amd64 points at now: security updates replace the older ones.
kernel_package="$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)"
[[ -n "$kernel_package" ]] || cannot "apt knows no linux-image-amd64: run apt-get update first"
kernel_version="$(apt-cache policy "$kernel_package" | sed -n 's/^ *Candidate: //p')"
release="${kernel_package#linux-image-}"
stamp="$( { cat "$here/build.sh" "$here/initramfs-init" "$here/guest-init"; echo "$kernel_package=$kernel_version $suite $packages"; } \
  | sha256sum | cut -c1-16)"

if [[ -f "$dir/vmlinuz" && -f "$dir/initramfs.cpio.gz" && -f "$dir/rootfs.ext4" && "$(cat "$dir/.built-from" 2>/dev/null)" == "$stamp" ]]; then
  say "found in $dir (kernel $release)"
  exit 0
fi
[[ "$(id -u)" == 0 ]] || cannot "needs root to build (mmdebstrap into a directory, device files in the image)"

mkdir -p "$dir"
tmp="$(mktemp -d "$dir/build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
started=$SECONDS

say "kernel $kernel_package $kernel_version ..."
(cd "$tmp" && apt-get download -q "$kernel_package=$kernel_version" 2>&1 | grep -v 'unsandboxed as root' || true)
dpkg-deb -x "$tmp/$kernel_package"_*.deb "$tmp/kernel"
depmod -b "$tmp/kernel" "$release"

say "root file system: Debian $suite with $packages ..."
mirror=()
[[ -f /etc/apt/sources.list.d/debian.sources ]] && mirror=(/etc/apt/sources.list.d/debian.sources)
mmdebstrap --quiet --variant=apt --include="$packages" "$suite" "$tmp/rootfs" "${mirror[@]}"
install -m 0755 "$here/guest-init" "$tmp/rootfs/usr/local/sbin/cgroup-v2-vm-init"
mkdir -p "$tmp/rootfs/mnt/share"
busybox="$tmp/rootfs/bin/busybox"

say "initramfs ..."
initramfs="$tmp/initramfs"
mkdir -p "$initramfs"/{bin,dev,proc,sys,newroot,modules}
install -m 0755 "$busybox" "$initramfs/bin/busybox"
install -m 0755 "$here/initramfs-init" "$initramfs/init"
# Each module once, in an order that loads a module's dependencies before it.
modprobe -d "$tmp/kernel" -S "$release" -a --show-depends "${modules[@]}" | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' \
  | while read -r ko; do
      cp "$ko" "$initramfs/modules/"
      basename "$ko" >> "$initramfs/modules/load-order"
    done
(cd "$initramfs" && find . | "$busybox" cpio -o -H newc 2>/dev/null) | gzip -1 > "$tmp/initramfs.cpio.gz"

say "ext4 image ..."
mke2fs -q -t ext4 -L dg-v2-root -d "$tmp/rootfs" "$tmp/rootfs.ext4" "$image_size"

mv "$tmp/kernel/boot/vmlinuz-$release" "$dir/vmlinuz"
mv "$tmp/initramfs.cpio.gz" "$tmp/rootfs.ext4" "$dir/"
echo "$release" > "$dir/kernel-release"
echo "$stamp" > "$dir/.built-from"
say "built in $((SECONDS - started)) s into $dir: kernel $release, root image $(du -sh "$dir/rootfs.ext4" | cut -f1) used of $image_size"
