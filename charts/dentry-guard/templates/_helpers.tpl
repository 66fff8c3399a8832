{{/* The probe's objects (service account, ClusterRole, DaemonSet): RELEASE-probe. */}}
{{- define "dentry-guard.probe" -}}
{{ .Release.Name }}-probe
{{- end }}

{{/* The operator's objects: RELEASE-operator. */}}
{{- define "dentry-guard.operator" -}}
{{ .Release.Name }}-operator
{{- end }}

{{/* The admission policy and its binding (cluster-scoped, so named after the release). */}}
{{- define "dentry-guard.admissionPolicy" -}}
{{ .Release.Name }}-probe-own-node
{{- end }}

{{/* Labels every object carries; call with (dict "ctx" $ "component" "probe"). */}}
{{- define "dentry-guard.labels" -}}
helm.sh/chart: {{ .ctx.Chart.Name }}-{{ .ctx.Chart.Version }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
{{ include "dentry-guard.selectorLabels" . }}
{{- end }}

{{/* The labels that select a component's pods; they never change across upgrades. */}}
{{- define "dentry-guard.selectorLabels" -}}
app.kubernetes.io/name: {{ .ctx.Chart.Name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* A component's image; call with (dict "ctx" $ "image" .Values.probe.image). */}}
{{- define "dentry-guard.image" -}}
{{ .image.repository }}:{{ .image.tag | default .ctx.Chart.AppVersion }}
{{- end }}

{{/* Every capability dropped, no escalation, read-only root, the runtime's seccomp profile: both containers. */}}
{{- define "dentry-guard.lockedDownContainer" -}}
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}
