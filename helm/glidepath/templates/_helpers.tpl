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
