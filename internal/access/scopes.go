package access

import (
	"slices"
	"strings"
)

// The fine scopes of API tokens. A token carries a set of them; each route needs
// one (the table in internal/auth/scopes.go).
const (
	// ScopeItemsRead reads items and everything the API shows (lists, timelines,
	// statistics, the organisation).
	ScopeItemsRead = "items:read"
	// ScopeItemsWrite makes the changes of the supervision work other than
	// progress reports: items, assignments, urges, decisions, comments, files.
	ScopeItemsWrite = "items:write"
	// ScopeFeedbackWrite writes progress reports (反馈): draft, edit, submit.
	ScopeFeedbackWrite = "feedback:write"
	// ScopeWebhooksManage reads and changes outgoing webhooks and robots.
	ScopeWebhooksManage = "webhooks:manage"
	// ScopeTodoRead reads to-do lists: the caller's own, and the organisation's
	// feed (GET /todo) where the caller may read it.
	ScopeTodoRead = "todo:read"
)

// FineScopes lists the fine scopes in display order.
var FineScopes = []string{ScopeItemsRead, ScopeItemsWrite, ScopeFeedbackWrite, ScopeWebhooksManage, ScopeTodoRead}

// scopeAliases are the scopes of the first tokens: read was every GET, write
// every change (and, since reads were never refused, every GET too).
var scopeAliases = map[string][]string{
	ScopeRead:  {ScopeItemsRead, ScopeTodoRead},
	ScopeWrite: FineScopes,
}

// ValidScope reports whether s is a fine scope or an alias.
func ValidScope(s string) bool {
	_, alias := scopeAliases[s]
	return alias || slices.Contains(FineScopes, s)
}

// ExpandScopes replaces the aliases by their sets and returns the fine scopes
// sorted without repeats. Unknown names are dropped (callers validate first).
func ExpandScopes(in []string) []string {
	out := []string{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if set, ok := scopeAliases[s]; ok {
			out = append(out, set...)
		} else if slices.Contains(FineScopes, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
