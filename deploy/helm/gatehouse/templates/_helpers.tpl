{{- define "gatehouse.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{- define "gatehouse.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "gatehouse.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "gatehouse.secretName" -}}
{{ include "gatehouse.fullname" . }}-secrets
{{- end -}}

{{- define "gatehouse.dbSecretName" -}}
{{ .Values.database.existingSecret | default (include "gatehouse.secretName" .) }}
{{- end -}}

{{- define "gatehouse.gatewayTokenSecretName" -}}
{{ .Values.existingGatewayTokenSecret | default (include "gatehouse.secretName" .) }}
{{- end -}}

{{- define "gatehouse.controlPlaneUrl" -}}
http://{{ include "gatehouse.fullname" . }}-control-plane:{{ .Values.controlPlane.port }}
{{- end -}}
