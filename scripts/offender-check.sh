#!/bin/bash
# Offenders named on this machine (root, cgroup v1 memory controller): a flood of 2M negative dentries
# (~400 MB of slab, freed at the end) in one kubelet-style pod cgroup, ordinary work in two others,
# judged by `./dentry-guard probe --json` at the default 5 s interval. Prints one line per sample.
set -u
cd "$(dirname "$0")/.."
[ -f /sys/fs/cgroup/memory/memory.kmem.usage_in_bytes ] || { echo "needs the cgroup v1 memory controller" >&2; exit 2; }
M=/sys/fs/cgroup/memory/dg-demo
A=$(cat /proc/sys/kernel/random/uuid); B=$(cat /proc/sys/kernel/random/uuid); C=$(cat /proc/sys/kernel/random/uuid)
CA=$M/kubepods/burstable/pod$A/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
CB=$M/kubepods/burstable/pod$B/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
CC=$M/kubepods/besteffort/pod$C/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc
cleanup() {
  kill ${PROBE:-} ${W1:-} ${W2:-} 2>/dev/null; wait 2>/dev/null
  rm -rf /var/tmp/offender-check-flood
  for c in $CA $CB $CC; do [ -d $c ] && echo 0 > $c/memory.force_empty; done
  [ -d $M ] && find $M -depth -type d -exec rmdir {} \;
}
trap cleanup EXIT
mkdir -p $CA $CB $CC
echo "flooder pod $A; ordinary pods $B $C"
./dentry-guard probe --json --samples 6 --no-state > /var/tmp/offender-check.jsonl 2>/var/tmp/offender-check.err &
PROBE=$!
sleep 3
sh -c "echo \$\$ > $CB/cgroup.procs; exec sh -c 'for i in \$(seq 300); do ls -R /usr/share/doc >/dev/null; done'" &
W1=$!
sh -c "echo \$\$ > $CC/cgroup.procs; exec sh -c 'for i in \$(seq 300); do cat /etc/services > /dev/null; find /usr/lib -maxdepth 2 > /dev/null; done'" &
W2=$!
sh -c "echo \$\$ > $CA/cgroup.procs; exec java -Xmx64m -jar node-probe/target/node-probe-0.1.0-SNAPSHOT-all.jar flood --dir /var/tmp/offender-check-flood --count 2000000"
wait $PROBE
python3 -c "
import json
for l in open('/var/tmp/offender-check.jsonl'):
    d=json.loads(l); o=d['offenders']
    print(d['timestamp'][11:19], d['verdict'], d['dentries']['negative'], [(x['podUid'] or x['cgroup'], x['confidence'], round(x['share'],2)) for x in o][:3])"
