package api

import "github.com/danielgtaylor/huma/v2"

// policyKey in an operation's metadata names the policy that decides who may call it.
const policyKey = "consultantpro.policy"

// PolicyPublic and PolicySelf are the policies of operations that no resource policy decides:
// anonymous ones (login, register) and the caller's own account (profile, logout).
const (
	PolicyPublic = "public"
	PolicySelf   = "self"
)

// SetPolicy records on op the name of the policy that decides who may call it ("clients.update").
// Every operation carries one; the resource kit sets it, and a test walks every operation for it.
func SetPolicy(op *huma.Operation, name string) {
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[policyKey] = name
}

// PolicyOf returns the policy name SetPolicy recorded on op ("" when none was).
func PolicyOf(op *huma.Operation) string {
	name, _ := op.Metadata[policyKey].(string)
	return name
}
