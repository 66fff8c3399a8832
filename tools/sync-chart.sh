#!/usr/bin/env bash
# Makes what the checkout holds but nobody writes by hand (ChartInSyncTest fails until it is run):
#   charts/dentry-guard/crds/*.yml   the NodeHealth CRD the api module generates, byte for byte
#   deploy/crd.yaml                  the same CRD alone
#   deploy/dentry-guard.yaml         the chart rendered with its defaults (release and namespace dentry-guard)
#   deploy/rbac.yaml                 its service accounts and roles (with remediation.evict's right)
#   deploy/admission-policy.yaml     its admission policy
# Run it after changing the NodeHealth classes or the chart. It builds api, node-probe, operator and
# charts in the reactor (never mvn install) and renders with Helm through helm-java (ChartSync).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q -pl api,node-probe,operator,charts -Psync-chart -DskipTests -DskipITs process-test-classes "$@"
