{{/*
One operator instance: the default one (shard "") acts on the Releases without a glidepath.dev/shard label, each
shard's on the Releases labelled with its name. Called with (dict "root" $ "shard" NAME).
*/}}
{{- define "glidepath.instance" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "glidepath.instanceName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "glidepath.labels" .root | nindent 4 }}
spec:
  replicas: {{ .root.Values.replicas }}
  selector:
    matchLabels:
      {{- include "glidepath.instanceSelectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "glidepath.instanceSelectorLabels" . | nindent 8 }}
      {{- with .root.Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "glidepath.serviceAccountName" .root }}
      automountServiceAccountToken: true
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        runAsGroup: 65532
        fsGroup: 65532
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: operator
          image: "{{ .root.Values.image.repository }}:{{ default .root.Chart.AppVersion .root.Values.image.tag }}"
          imagePullPolicy: {{ .root.Values.image.pullPolicy }}
          env:
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: QUARKUS_OPERATOR_SDK_NAMESPACES
              value: {{ if .root.Values.watchNamespaces }}{{ join "," .root.Values.watchNamespaces | quote }}{{ else }}"JOSDK_ALL_NAMESPACES"{{ end }}
            - name: GLIDEPATH_LEADER_ELECTION_ENABLED
              value: {{ gt (int .root.Values.replicas) 1 | quote }}
            - name: GLIDEPATH_LEADER_ELECTION_NAMESPACE
              value: {{ .root.Release.Namespace | quote }}
            - name: QUARKUS_LOG_CONSOLE_JSON_ENABLED
              value: {{ eq .root.Values.logFormat "json" | quote }}
            - name: GLIDEPATH_ALLOWED_PROMETHEUS_URLS
              value: {{ join "," .root.Values.allowedPrometheusUrls | quote }}
            - name: GLIDEPATH_ALLOWED_WEBHOOK_URLS
              value: {{ join "," .root.Values.allowedWebhookUrls | quote }}
            - name: GLIDEPATH_WEBHOOKS_TIMEOUT
              value: {{ .root.Values.webhookTimeout | quote }}
            - name: GLIDEPATH_CREDENTIALS_CACHE_TTL
              value: {{ .root.Values.credentialsCacheTtl | quote }}
            - name: GLIDEPATH_APPROVALS_TRUST_UNVERIFIED
              value: {{ .root.Values.approvals.trustUnverified | quote }}
            {{- with .root.Values.upstreamClusters }}
            - name: GLIDEPATH_UPSTREAM_CLUSTERS
              value: {{ include "glidepath.upstreamClusters" $.root | quote }}
            {{- end }}
            {{- with .shard }}
            - name: GLIDEPATH_SHARD
              value: {{ . | quote }}
            {{- end }}
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: http
            initialDelaySeconds: 10
            periodSeconds: 10
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: http
            periodSeconds: 5
          resources:
            {{- toYaml .root.Values.resources | nindent 12 }}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            capabilities:
              drop: ["ALL"]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir: {}
      {{- with .root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .root.Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}
