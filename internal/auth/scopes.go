package auth

import (
	"strings"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/httpserver"
)

// ScopeSession marks the routes no API token may use at all: those that manage
// credentials and identities (a leaked token must not mint more tokens).
const ScopeSession = "session"

// scopeRule gives the scope a token needs for the routes under prefix (the route
// as registered with Echo, without /api/v1). writes limits the rule to changes
// (POST, PUT, PATCH, DELETE); reads to GET/HEAD; neither: every method.
type scopeRule struct {
	prefix string
	reads  bool
	writes bool
	scope  string
}

// scopeTable is the one table of what each route needs from an API token; the
// first rule whose prefix and method fit wins, and the last two take every route
// left: reads need items:read, changes items:write. TestTokenScopes (in
// internal/authzmatrix) sends a token lacking the scope to every registered route.
var scopeTable = []scopeRule{
	{prefix: "/me/tokens", scope: ScopeSession},
	{prefix: "/me/password", scope: ScopeSession},
	{prefix: "/service-accounts", scope: ScopeSession},
	{prefix: "/tokens", scope: ScopeSession},
	{prefix: "/webhooks", scope: access.ScopeWebhooksManage},
	{prefix: "/notification-channels", scope: access.ScopeWebhooksManage},
	{prefix: "/me/todo", reads: true, scope: access.ScopeTodoRead},
	{prefix: "/todo", reads: true, scope: access.ScopeTodoRead},
	{prefix: "/items/:id/feedback", writes: true, scope: access.ScopeFeedbackWrite},
	{prefix: "/feedback/", writes: true, scope: access.ScopeFeedbackWrite},
	{prefix: "/", reads: true, scope: access.ScopeItemsRead},
	{prefix: "/", writes: true, scope: access.ScopeItemsWrite},
}

// RequiredScope is the scope an API token needs for method on route (the path as
// registered with Echo, with or without /api/v1).
func RequiredScope(method, route string) string {
	route = strings.TrimPrefix(route, httpserver.APIPrefix)
	read := isRead(method)
	for _, r := range scopeTable {
		if (r.reads && !read) || (r.writes && read) {
			continue
		}
		if route == r.prefix || strings.HasPrefix(route, strings.TrimSuffix(r.prefix, "/")+"/") || r.prefix == "/" {
			return r.scope
		}
	}
	return ScopeSession
}

// ScopeDoc explains each fine scope, for the documentation and the web app.
var ScopeDoc = map[string]string{
	access.ScopeItemsRead:      "read items and everything the API shows: lists, timelines, statistics, the organisation",
	access.ScopeItemsWrite:     "change supervision work other than progress reports: items, assignments, urges, decisions, comments, files",
	access.ScopeFeedbackWrite:  "write, edit and submit progress reports (反馈) and review them",
	access.ScopeWebhooksManage: "read and change outgoing webhooks and group robots",
	access.ScopeTodoRead:       "read to-do lists: /me/todo and the organisation's feed /todo",
}
