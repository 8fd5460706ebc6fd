# A small Rego rendition of a few secrets-guard rules, for `make compare` (scripts/compare.sh):
# regorus evaluates it over the same objects (converted to one JSON array) to give a policy-engine
# reference rate. It is not a port of the catalog: 8 checks against our full rule set.
#
# Query: data.secrets_guard_compare.findings -> a set of {rule, kind, namespace, name, index}.
package secrets_guard_compare

import rego.v1

metadata(obj) := object.get(obj, "metadata", {})

default_ns(obj) := object.get(metadata(obj), "namespace", "default")

finding(rule, i, obj) := {
	"rule": rule,
	"index": i,
	"kind": obj.kind,
	"namespace": default_ns(obj),
	"name": object.get(metadata(obj), "name", ""),
}

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}

pod_spec(obj) := obj.spec if obj.kind == "Pod"

pod_spec(obj) := obj.spec.template.spec if workload_kinds[obj.kind]

pod_spec(obj) := obj.spec.jobTemplate.spec.template.spec if obj.kind == "CronJob"

containers(obj) := array.concat(
	object.get(pod_spec(obj), "containers", []),
	object.get(pod_spec(obj), "initContainers", []),
)

# WL-001: a Secret key exposed as an environment variable.
findings contains finding("WL-001", i, obj) if {
	some i, obj in input
	some c in containers(obj)
	some e in c.env
	e.valueFrom.secretKeyRef
}

# WL-002: a whole Secret exposed as environment variables.
findings contains finding("WL-002", i, obj) if {
	some i, obj in input
	some c in containers(obj)
	some e in c.envFrom
	e.secretRef
}

role_kinds := {"Role", "ClusterRole"}

core_group(r) if {
	some g in r.apiGroups
	g in {"", "*"}
}

on_secrets(r) if {
	core_group(r)
	some res in r.resources
	res in {"secrets", "*"}
}

# RBAC-001: get/list/watch on Secrets (reads their values).
findings contains finding("RBAC-001", i, obj) if {
	some i, obj in input
	role_kinds[obj.kind]
	some r in obj.rules
	on_secrets(r)
	some v in r.verbs
	v in {"get", "list", "watch"}
}

# RBAC-004: wildcard verbs on Secrets.
findings contains finding("RBAC-004", i, obj) if {
	some i, obj in input
	role_kinds[obj.kind]
	some r in obj.rules
	on_secrets(r)
	"*" in r.verbs
}

# RBAC-005: wildcard resources in the core group.
findings contains finding("RBAC-005", i, obj) if {
	some i, obj in input
	role_kinds[obj.kind]
	some r in obj.rules
	core_group(r)
	"*" in r.resources
}

binding_kinds := {"RoleBinding", "ClusterRoleBinding"}

# RBAC-021: a binding to cluster-admin.
findings contains finding("RBAC-021", i, obj) if {
	some i, obj in input
	binding_kinds[obj.kind]
	obj.roleRef.name == "cluster-admin"
}

# RBAC-022: a binding to everyone.
findings contains finding("RBAC-022", i, obj) if {
	some i, obj in input
	binding_kinds[obj.kind]
	some s in obj.subjects
	s.kind == "Group"
	s.name in {"system:anonymous", "system:unauthenticated", "system:authenticated"}
}

# ENC-002: the first provider for Secrets is identity (written to etcd in plaintext).
findings contains finding("ENC-002", i, obj) if {
	some i, obj in input
	obj.kind == "EncryptionConfiguration"
	some r in obj.resources
	"secrets" in r.resources
	first := r.providers[0]
	first.identity != null
}
