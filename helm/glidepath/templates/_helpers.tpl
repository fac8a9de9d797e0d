{{- define "glidepath.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "glidepath.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "glidepath.labels" -}}
app.kubernetes.io/name: {{ include "glidepath.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "glidepath.selectorLabels" -}}
app.kubernetes.io/name: {{ include "glidepath.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The name of one operator instance's Deployment and metrics Service (see glidepath.instance). */}}
{{- define "glidepath.instanceName" -}}
{{- if .shard -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]{0,44}[a-z0-9])?$" .shard) -}}
{{- fail (printf "shards: %q is not a shard name: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 46 characters" .shard) -}}
{{- end -}}
{{- printf "%s-shard-%s" (include "glidepath.fullname" .root) .shard | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- include "glidepath.fullname" .root -}}
{{- end -}}
{{- end -}}

{{/*
The pods of one operator instance. A shard's pods carry a name of their own, so that no instance's selector
selects another's pods (the default instance's selector is the chart's first one and stays as it is).
*/}}
{{- define "glidepath.instanceSelectorLabels" -}}
{{- if .shard -}}
app.kubernetes.io/name: {{ include "glidepath.name" .root }}-shard
app.kubernetes.io/instance: {{ .root.Release.Name }}
glidepath.dev/operator-shard: {{ .shard }}
{{- else -}}
{{- include "glidepath.selectorLabels" .root }}
{{- end -}}
{{- end -}}

{{- define "glidepath.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "glidepath.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The permissions the operator uses, and no more (a test checks both directions). */}}
{{- define "glidepath.workloadRules" -}}
- apiGroups: ["glidepath.dev"]
  resources: ["releases"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["glidepath.dev"]
  resources: ["releases/status"]
  verbs: ["update"]
- apiGroups: ["glidepath.dev"]
  resources: ["freezes"]
  verbs: ["list", "watch"]
- apiGroups: ["glidepath.dev"]
  resources: ["approvals"]
  verbs: ["list", "watch"]
- apiGroups: ["glidepath.dev"]
  resources: ["approvals/status"]
  verbs: ["update"]
- apiGroups: ["glidepath.dev"]
  resources: ["rollouts"]
  verbs: ["list", "watch", "create", "delete"]
- apiGroups: ["glidepath.dev"]
  resources: ["rollouts/status"]
  verbs: ["update"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["list", "watch", "create"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list"]
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes"]
  verbs: ["get", "list", "watch", "update"]
{{- end -}}

{{/*
The upstream clusters as the operator reads them (glidepath.upstream-clusters): NAME=SECRET pairs, comma-separated.
Each name must be a DNS label and each Secret name a Secret name; any other is refused, naming it.
*/}}
{{- define "glidepath.upstreamClusters" -}}
{{- $pairs := list -}}
{{- range .Values.upstreamClusters -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$" (toString .name)) -}}
{{- fail (printf "upstreamClusters: name %q is not a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters" (toString .name)) -}}
{{- end -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$" (toString .secret)) -}}
{{- fail (printf "upstreamClusters: secret %q of %q is not a Secret name" (toString .secret) .name) -}}
{{- end -}}
{{- $pairs = append $pairs (printf "%s=%s" .name .secret) -}}
{{- end -}}
{{- join "," $pairs -}}
{{- end -}}
