#!/bin/bash
# How much a flood of negative dentries slows a victim's tree walk, with real podman containers in
# kubelet-style pod cgroups (root, cgroup v1): the victim's loop time idle, with COUNT extra negative
# dentries held in the hash table (after the flood has made them, so CPU contention is not measured),
# after the offender's container is removed (frees only the overlay's half: the layer's half hangs off
# the image's lower layer, charged to the pod cgroup), and after force_empty of its pod cgroup. Prints medians and /proc/sys/fs/dentry-state.
# Usage: [FLOOD_JAR=node-probe-all.jar] scripts/victim-slowdown.sh [COUNT (default 3000000)] [LOOPS per phase (default 40)]
set -u
cd "$(dirname "$0")/.."
COUNT=${1:-3000000}; LOOPS=${2:-40}
export CONTAINERS_CONF=$PWD/tools/images/containers.conf
JAR=${FLOOD_JAR:-$PWD/node-probe/target/node-probe-0.1.0-SNAPSHOT-all.jar}
[ -f /sys/fs/cgroup/memory/memory.kmem.usage_in_bytes ] || { echo "needs the cgroup v1 memory controller" >&2; exit 2; }
[ -f "$JAR" ] || { echo "needs $JAR (mvn -B -o -pl node-probe -am -DskipTests package)" >&2; exit 2; }
RUN=dgk-measure-$$
PARENT=/$RUN
V=$(cat /proc/sys/kernel/random/uuid); O=$(cat /proc/sys/kernel/random/uuid)
MEM=/sys/fs/cgroup/memory$PARENT
LOG=/var/tmp/$RUN.victim.log
# A copy: a build that replaces the jar mid-flood would end the flood with NoClassDefFoundError.
cp "$JAR" /var/tmp/$RUN.jar && JAR=/var/tmp/$RUN.jar
cleanup() {
  podman rm --force --time 1 --ignore $RUN-victim $RUN-offender >/dev/null 2>&1
  [ -d $MEM/pod$O ] && echo 0 > $MEM/pod$O/memory.force_empty
  for c in /sys/fs/cgroup/*$PARENT; do [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} \; ; done
  rm -f $LOG $JAR
}
trap cleanup EXIT
dstate() { echo "dentry-state ($1): $(cat /proc/sys/fs/dentry-state)"; }
kmem() { echo "offender pod cgroup kmem ($1): $(cat $MEM/pod$O/memory.kmem.usage_in_bytes) bytes"; }
# Median loop time of the next LOOPS lines the victim prints, per command.
median() {
  local start; start=$(wc -l < $LOG)
  while [ $(( $(wc -l < $LOG) - start )) -lt $LOOPS ]; do sleep 1; done
  local lines; lines=$(tail -n +$((start + 1)) $LOG | head -n $LOOPS)
  local du st
  du=$(awk '{print $2}' <<< "$lines" | sort -n | sed -n "$(( (LOOPS + 1) / 2 ))p")
  st=$(awk '{print $4}' <<< "$lines" | sort -n | sed -n "$(( (LOOPS + 1) / 2 ))p")
  printf "%-34s du -sx / median %6.1f ms   stat of every /usr path median %6.1f ms  (%d loops; load %s)\n" "$1" \
    "$(awk "BEGIN{print $du/1000}")" "$(awk "BEGIN{print $st/1000}")" $LOOPS "$(cut -d' ' -f1 /proc/loadavg)"
}
dstate "start"
podman run -d --name $RUN-victim --network none --cgroup-parent=$PARENT/pod$V localhost/jre-base:17 bash -c '
  find /usr -xdev > /tmp/paths
  while :; do
    s=$(date +%s%N); du -sx / >/dev/null 2>&1; e=$(date +%s%N)
    xargs -a /tmp/paths stat -c %s >/dev/null 2>&1; f=$(date +%s%N)
    echo "du_us $(( (e-s)/1000 )) stat_us $(( (f-e)/1000 ))"
  done' >/dev/null
podman logs --follow $RUN-victim > $LOG 2>&1 &
median "warm-up" >/dev/null
median "idle"
dstate "before flood"
podman run -d --name $RUN-offender --network none --cgroup-parent=$PARENT/pod$O -v $JAR:/opt/flood.jar:ro \
  localhost/jre-base:17 java -Xmx128m -jar /opt/flood.jar flood --dir /usr/share/doc --count $COUNT --hold 1h >/dev/null
until podman logs $RUN-offender 2>&1 | grep -q holding; do
  [ "$(podman inspect --format '{{.State.Running}}' $RUN-offender)" = true ] || { podman logs $RUN-offender; exit 1; }
  sleep 1
done
podman logs $RUN-offender 2>&1 | grep looked
dstate "flood held"; kmem "flood held"
median "with $COUNT negatives held"
podman rm --force --time 1 $RUN-offender >/dev/null
dstate "offender container removed"; kmem "offender container removed"
median "offender removed, cgroup charged"
s=$(date +%s%N); echo 0 > $MEM/pod$O/memory.force_empty; e=$(date +%s%N)
echo "force_empty took $(( (e-s)/1000000 )) ms"
dstate "after force_empty"; kmem "after force_empty"
median "after force_empty"
median "after force_empty, later"
