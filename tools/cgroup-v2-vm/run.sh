#!/usr/bin/env bash
# Boots the cgroup v2 guest that build.sh made and runs SHARE_DIR/run.sh in it as root; the guest's
# console (kernel messages and run.sh's output) comes out on stdout. Returns when the guest has
# powered off. SHARE_DIR is shared read-only (9p, tag "share", at /mnt/share in the guest); the
# root disk is a snapshot, so every run starts from the same image and leaves it as it was.
#   tools/cgroup-v2-vm/run.sh SHARE_DIR
#   tools/cgroup-v2-vm/run.sh --check    exit 0 if it can boot here, else say why and exit 2
# Software emulation (TCG) with one host thread: with multi-threaded TCG the guest's JVM crashed in
# 1-3 of 24 starts, with one thread in none (shared notes: cgroup-v2-vm.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${CGROUP_V2_VM_DIR:-$root/.cache/cgroup-v2-vm}"
missing() {
  command -v qemu-system-x86_64 >/dev/null || { echo "no qemu-system-x86_64 (apt-get install qemu-system-x86)"; return; }
  for f in vmlinuz initramfs.cpio.gz rootfs.ext4; do
    [[ -f "$dir/$f" ]] || { echo "no $dir/$f: run tools/cgroup-v2-vm/build.sh first"; return; }
  done
}
why="$(missing)"
[[ -z "$why" ]] || { echo "cgroup-v2-vm: $why" >&2; exit 2; }
[[ "${1:-}" != --check ]] || exit 0
share="${1:?usage: run.sh SHARE_DIR (its run.sh runs in the guest)}"
[[ -f "$share/run.sh" ]] || { echo "cgroup-v2-vm: no run.sh in $share" >&2; exit 2; }
exec qemu-system-x86_64 -accel tcg,thread=single -cpu max -smp 2 -m 2048 \
  -nodefaults -display none -serial stdio -no-reboot \
  -kernel "$dir/vmlinuz" -initrd "$dir/initramfs.cpio.gz" -append "console=ttyS0 panic=-1" \
  -drive "file=$dir/rootfs.ext4,format=raw,if=virtio,snapshot=on" \
  -virtfs "local,path=$(cd "$share" && pwd),mount_tag=share,security_model=none,readonly=on"
