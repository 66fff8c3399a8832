#!/bin/sh
# ReclaimOnRealV2KernelIT's guest side, run as root in the cgroup v2 guest of tools/cgroup-v2-vm
# (as /mnt/share/run.sh, beside probe.jar and params). Builds kubelet's pod cgroups as both cgroup
# drivers lay them out, floods negative dentries in one pod's container with the jar's flood
# command, reclaims the pod with `dentry-guard reclaim --pod-uid UID --json`, and prints what it
# measured on the console in lines "DG-V2 <seconds since boot> <case> <kind> ...": once with the
# flooder alive, once after it exited. A neighbour pod that made real files must keep them, and its
# slab.
set -u
SHARE=/mnt/share
. "$SHARE/params"                       # FLOOD_COUNT, NEIGHBOUR_FILES
CG=/sys/fs/cgroup
JAVA="java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
# The JVMs load their classes from a copy in tmpfs rather than over 9p.
JAR=/tmp/probe.jar
cp "$SHARE/probe.jar" "$JAR"
CONTAINER_ID=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

report() { echo "DG-V2 $(cut -d ' ' -f 1 /proc/uptime) $*"; }
uid() { cat /proc/sys/kernel/random/uuid; }
negatives() { awk '{ print $5 }' /proc/sys/fs/dentry-state; }
slab() { awk '$1 == "slab" { print $2 }' "$1/memory.stat"; }
# Creates cgroup $1/$2/$3/..., enabling the memory controller at each level on the way down as
# kubelet's hierarchy has it, and prints its path.
with_memory() {
  parent=$1; shift
  for child in "$@"; do
    echo +memory > "$parent/cgroup.subtree_control"
    parent=$parent/$child
    mkdir -p "$parent"
  done
  echo "$parent"
}
# Runs "$@" in cgroup $1 from before it execs, output to $2, in the background.
start_in() {
  cgroup=$1 log=$2; shift 2
  sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cgroup" "$@" > "$log" 2>&1 &
}
# Waits (bounded) until file $1 contains $2 or process $3 has ended.
wait_for() {
  tries=0
  while ! grep -q "$2" "$1" && kill -0 "$3" 2>/dev/null && [ "$tries" -lt 600 ]; do
    tries=$((tries + 1)); sleep 1
  done
}

# A neighbour pod (cgroupfs driver, burstable) whose container made real files: positive dentries
# and inodes charged to it, which no reclaim of another pod may touch.
NEIGHBOUR_UID=$(uid)
NEIGHBOUR=$(with_memory "$CG" kubepods burstable "pod$NEIGHBOUR_UID" "$CONTAINER_ID")
mkdir -p /var/tmp/neighbour
start_in "$NEIGHBOUR" /tmp/neighbour.log sh -c 'i=0; while [ $i -lt "$0" ]; do echo "$i" > /var/tmp/neighbour/file-$i; i=$((i + 1)); done' "$NEIGHBOUR_FILES"
wait $!
report neighbour pod "uid=$NEIGHBOUR_UID files=$(ls /var/tmp/neighbour | wc -l) slab=$(slab "$NEIGHBOUR/..")"

# One case ($1: "live", the flooder still running, or "exited"): a flood of FLOOD_COUNT names in
# the container of pod $2, whose cgroup directories below $CG are $3 (pod, then container).
flood_and_reclaim() {
  case=$1 pod_uid=$2 layout=$3
  container=$(with_memory "$CG" $layout)
  pod=$(dirname "$container")
  report "$case" pod "uid=$pod_uid cgroup=${pod#$CG/}"
  before_flood=$(negatives)
  if [ "$case" = live ]; then
    start_in "$container" "/tmp/flood-$case.log" $JAVA -jar "$JAR" flood --dir "/var/tmp/flood-$case" --count "$FLOOD_COUNT" --hold 30m
    flooder=$!
    wait_for "/tmp/flood-$case.log" holding "$flooder"
  else
    start_in "$container" "/tmp/flood-$case.log" $JAVA -jar "$JAR" flood --dir "/var/tmp/flood-$case" --count "$FLOOD_COUNT"
    flooder=$!
    wait "$flooder"
  fi
  report "$case" "flood $(head -n 1 "/tmp/flood-$case.log")"
  after_flood=$(negatives)
  pod_slab_before=$(slab "$pod")
  neighbour_slab_before=$(slab "$NEIGHBOUR/..")
  $JAVA -jar "$JAR" reclaim --pod-uid "$pod_uid" --json > "/tmp/reclaim-$case.json" 2> "/tmp/reclaim-$case.err"
  reclaim_exit=$?
  report "$case" "outcome $(cat "/tmp/reclaim-$case.json")"
  [ -s "/tmp/reclaim-$case.err" ] && report "$case" "stderr $(cat "/tmp/reclaim-$case.err")"
  if kill -0 "$flooder" 2>/dev/null && grep -qx "$flooder" "$container/cgroup.procs"; then alive=yes; else alive=no; fi
  report "$case" "figures negatives-before-flood=$before_flood negatives-after-flood=$after_flood" \
    "negatives-after-reclaim=$(negatives) pod-slab-before=$pod_slab_before pod-slab-after=$(slab "$pod")" \
    "neighbour-slab-before=$neighbour_slab_before neighbour-slab-after=$(slab "$NEIGHBOUR/..")" \
    "neighbour-files=$(ls /var/tmp/neighbour | wc -l) flooder-alive=$alive reclaim-exit=$reclaim_exit"
  [ "$case" = live ] && kill "$flooder"
}

LIVE_UID=$(uid)
flood_and_reclaim live "$LIVE_UID" "kubepods.slice kubepods-besteffort.slice kubepods-besteffort-pod$(echo "$LIVE_UID" | tr - _).slice cri-containerd-$CONTAINER_ID.scope"
EXITED_UID=$(uid)
flood_and_reclaim exited "$EXITED_UID" "kubepods besteffort pod$EXITED_UID $CONTAINER_ID"
report all done
