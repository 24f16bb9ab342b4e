// Package authzmatrix holds the authorization matrix of the whole HTTP API: every
// route registered with Echo under /api/v1 × every role (plus anonymous) × the
// caller's relation to the object → the expected status. It is test-only: nothing
// here ships.
//
// # Reading it
//
// The roles are the five of DESIGN.md plus anonymous (no credentials); the member
// role has two columns, because DESIGN.md gives a unit's head and liaisons more
// than its other people (undertakers, 承办人). Every column is played by one fixed
// user of the group's scope (see fixture_test.go):
//
//	admin       admin1    in the supervision office
//	supervisor  sup       in the supervision office
//	leader      leader    (L1) in the group itself
//	member      heada     role member, head (主要负责人) of department A
//	undertaker  membera   role member, plain member of department A
//	auditor     auditor   in the supervision office
//
// The relation describes the object the cell acts on, relative to that user:
//
//	own    the object belongs to the caller's unit or scope, or the caller is its
//	       relevant head/liaison/supervising leader. For items: initiated by heada,
//	       led by department A, supervised by L1, in the group's scope.
//	other  another unit of the same scope. For items: initiated by headb, led by
//	       department B, supervised by leader2, in the group's scope.
//	none   another supervision scope: an enterprise. For items: an item of the
//	       enterprise E, led by its department EA.
//
// Roles that see a whole scope (admin, supervisor, leader, auditor) see "own" and
// "other" items alike; there the two columns differ only where the supervising
// leader matters. Rows whose route has no object (lists, /me, the calendar) say in
// a comment what the relation means for them.
//
// Besides the role × relation cells every route gets one anonymous cell (401 for
// every protected route; the public auth routes answer their normal status), and
// every protected route one cell ("ro") with a read-only personal API token of the
// first role/relation whose session succeeds: 403 wherever the route needs a scope
// beyond read's (every change, webhooks, credentials: internal/auth/scopes.go), the
// session's answer elsewhere. TestTokenScopes sends every route a token lacking
// its scope.
//
// # Adding a row
//
// A new route without a row fails TestAuthorizationMatrix, naming the route; so
// does a row whose route is gone. To add one, append to the rows of the area's file
// (rows_identity_test.go, rows_items_test.go, rows_followup_test.go, ...; a new
// area gets a new file with its own init calling register):
//
//	{
//		method: "POST", route: "/api/v1/items/:id/approve", variant: "pending_approval",
//		setup: func(f *fixture, c *cell) (string, any) {
//			it := f.item(c.rel, items.StatePendingApproval) // a fresh object
//			return it.path("/approve"), map[string]any{"comment": "同意"}
//		},
//		want: actItem(200, leader), // or grid{admin: {403, 403, 404}, ...}
//	},
//
// The fields:
//
//   - route is the path exactly as registered with Echo (":id" parameters);
//     variant tells several rows of one route apart (the state of the object, say).
//   - setup creates what the cell needs and returns the concrete path and the
//     body (nil, any JSON value, or an upload for multipart). A mutating row makes
//     a FRESH object (a 2xx in one cell must not change another cell's object);
//     GET rows share read-only objects (f.sharedItem, once). Send valid bodies so
//     that the status reflects authorization, not validation, and put the object
//     into the state the action needs.
//   - want gives, per role, the statuses for own, other and none. Helpers: all,
//     adminOnly, and seeItem/actItem for everything hanging off an item.
//   - check, optionally, inspects the body of an expected answer, e.g. that a list
//     holds the object exactly when the caller may see it (listed).
//   - public marks a route mounted without authentication (want[anon] is then its
//     anonymous answer); fresh makes every cell act as a new user of the role (for
//     routes that change the caller, like the password).
//   - reuse (set for a whole file's rows with byRelation) says that setup depends
//     on c.rel only: then a cell answered 4xx leaves what it made to the next cell
//     of the same relation, and only a success costs a new object. Most cells are
//     403/404, so this is what keeps the matrix fast.
//
// Run it with
//
//	CGO_ENABLED=0 go test -count=1 ./internal/authzmatrix/
//
// A cell whose setup fails is reported as a failure of that cell; the others run.
// On a failure (or with -v) the whole matrix is logged: a cell as expected shows
// its status, one that is not "✗got/want" ("✗200:body" when the check failed).
package authzmatrix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/auth"
)

// role is a column group of the matrix: one of DESIGN.md's roles, or anonymous.
type role string

const (
	anon       role = "anon"
	admin      role = "admin"
	supervisor role = "supervisor"
	leader     role = "leader"
	member     role = "member"
	undertaker role = "undertaker" // role member, neither head nor liaison
	auditor    role = "auditor"
)

// roles are the signed-in roles, in column order.
var roles = []role{admin, supervisor, leader, member, undertaker, auditor}

// relation is the caller's relation to the object of a cell.
type relation int

const (
	own relation = iota
	other
	none
)

var relations = []relation{own, other, none}

func (r relation) String() string { return [...]string{"own", "other", "none"}[r] }

// grid is the expected status per role: [own, other, none]. anon is only read for
// public rows; protected rows expect 401 from anonymous callers.
type grid map[role][3]int

// all expects status from every role and relation.
func all(status int) grid {
	g := grid{}
	for _, r := range roles {
		g[r] = [3]int{status, status, status}
	}
	return g
}

// adminOnly expects ok from admins (whatever the relation) and 403 from the rest.
func adminOnly(ok int) grid {
	g := all(http.StatusForbidden)
	g[admin] = [3]int{ok, ok, ok}
	return g
}

// row is one route (or one variant of a route) of the matrix.
type row struct {
	method string
	// route is the path as registered with Echo, e.g. "/api/v1/items/:id".
	route string
	// variant tells several rows of one route apart (e.g. the state of the item).
	variant string
	// public: mounted without authentication; want[anon] is the anonymous answer.
	public bool
	// fresh: every cell acts as a new user of its role (in the role's unit).
	fresh bool
	// reuse: setup depends on the relation only (not on the role or the user), so
	// what it made for one cell serves the next cell of the same relation as long
	// as the answers are 4xx, which change nothing. A 2xx (or 5xx, or a failed
	// setup) drops it and the next cell sets up afresh. See byRelation.
	reuse bool
	setup func(f *fixture, c *cell) (path string, body any)
	want  grid
	// check, when set, inspects the body of an answer with the expected status
	// (say, that a list holds exactly what the caller may see) and returns what is
	// wrong with it, or "".
	check func(f *fixture, c *cell, body []byte) string
}

func (r row) name() string {
	n := r.method + " " + strings.TrimPrefix(r.route, "/api/v1")
	if r.variant != "" {
		n += " [" + r.variant + "]"
	}
	return n
}

func (r row) mutating() bool { return r.method != http.MethodGet && r.method != http.MethodHead }

// cell is one request of the matrix.
type cell struct {
	role role
	rel  relation
	// user acts; for anonymous cells it is the member's user (whose identity setup
	// may use), but no credentials are sent.
	user *actor
	// readOnly: the request carries user's read-only API token.
	readOnly bool
}

// upload is a multipart/form-data body: fields and one file in the field "file".
type upload struct {
	fields   map[string]string
	filename string
	content  []byte
}

var rows []row

// register adds rows to the matrix; each rows_*_test.go calls it from init.
func register(rs ...row) { rows = append(rows, rs...) }

// byRelation marks rows whose setup depends on the relation only (reuse).
func byRelation(rs []row) []row {
	for i := range rs {
		rs[i].reuse = true
	}
	return rs
}

// made is what a setup returned, kept for reuse.
type made struct {
	path string
	body any
}

// result is the outcome of one cell.
type result struct {
	got, want int
	// detail is the response body or the setup failure, for failures.
	detail string
	// badBody: the status is right but the row's check found the body wrong.
	badBody bool
}

func (r result) ok() bool { return r.got == r.want && !r.badBody }

// rowResult holds a row's cells by column key (see columns).
type rowResult struct {
	row   row
	cells map[string]result
}

// columns are the table's columns: anonymous, role × relation, read-only token.
func columns() []string {
	cols := []string{"anon"}
	for _, r := range roles {
		for _, rel := range relations {
			cols = append(cols, colKey(r, rel))
		}
	}
	return append(cols, "ro")
}

func colKey(r role, rel relation) string { return string(r) + "/" + rel.String() }

func TestAuthorizationMatrix(t *testing.T) {
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		start := time.Now()
		checkCoverage(t, env)
		f := newFixture(t, env)
		setupDone := time.Since(start)
		var results []rowResult
		failed := 0
		for _, r := range rows {
			rr := runRow(f, r)
			for _, k := range columns() {
				res, ok := rr.cells[k]
				switch {
				case !ok || res.ok():
					continue
				case res.badBody:
					t.Errorf("%s as %s: %d as expected, but %s", r.name(), k, res.got, res.detail)
				default:
					t.Errorf("%s as %s: got %d, want %d: %s", r.name(), k, res.got, res.want, res.detail)
				}
				failed++
			}
			results = append(results, rr)
		}
		n := 0
		for _, rr := range results {
			n += len(rr.cells)
		}
		t.Logf("%d rows, %d cells, %d failed; fixture %v, total %v", len(results), n, failed,
			setupDone.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
		if failed > 0 || testing.Verbose() {
			t.Log("authorization matrix (status as expected, ✗got/want otherwise, - no cell):\n" + table(results))
		}
	})
}

// runRow runs every cell of a row.
func runRow(f *fixture, r row) rowResult {
	rr := rowResult{row: r, cells: map[string]result{}}
	anonWant := http.StatusUnauthorized
	if r.public {
		anonWant = r.want[anon][0]
	}
	rr.cells["anon"] = f.runCell(r, &cell{role: anon, rel: own, user: f.actors[member]}, anonWant)
	var firstOK *cell
	for _, ro := range roles {
		want, ok := r.want[ro]
		if !ok {
			f.t.Errorf("%s: no expectation for role %s", r.name(), ro)
			continue
		}
		for _, rel := range relations {
			c := &cell{role: ro, rel: rel, user: f.actors[ro]}
			if r.fresh {
				c.user = f.freshActor(ro)
			}
			rr.cells[colKey(ro, rel)] = f.runCell(r, c, want[rel])
			if firstOK == nil && want[rel] < 300 {
				firstOK = &cell{role: ro, rel: rel}
			}
		}
	}
	if !r.public {
		// A read-only token: 403 for every change; a read answers as the session.
		c := &cell{role: supervisor, rel: own, readOnly: true}
		if firstOK != nil {
			c.role, c.rel = firstOK.role, firstOK.rel
		}
		// A read-only token has the scopes of the alias read: 403 wherever the
		// route's scope (auth.RequiredScope) is another one.
		want := http.StatusForbidden
		if slices.Contains(access.ExpandScopes([]string{access.ScopeRead}), auth.RequiredScope(r.method, r.route)) {
			want = r.want[c.role][c.rel]
		}
		c.user = f.actors[c.role]
		if r.fresh {
			c.user = f.freshActor(c.role)
		}
		rr.cells["ro"] = f.runCell(r, c, want)
	}
	return rr
}

// setupFailure is panicked by fixture helpers; runCell turns it into a failed cell.
type setupFailure struct{ msg string }

// runCell sets up and sends one request.
func (f *fixture) runCell(r row, c *cell, want int) (res result) {
	res.want = want
	defer func() {
		if v := recover(); v != nil {
			sf, ok := v.(setupFailure)
			if !ok {
				panic(v)
			}
			res.got, res.detail = 0, "setup failed: "+sf.msg
		}
	}()
	key := r.name() + "/" + c.rel.String()
	m, ok := f.reusable[key]
	delete(f.reusable, key) // kept again below once the answer is a 4xx
	if !ok || !r.reuse {
		m.path, m.body = r.setup(f, c)
	}
	path, body := m.path, m.body
	if !routeMatches(r.route, path) {
		f.failf("setup returned path %s, which is not route %s", path, r.route)
	}
	token := ""
	switch {
	case c.role == anon:
	case c.readOnly:
		token = c.user.readToken
	default:
		token = c.user.session
	}
	status, respBody := f.send(r.method, path, body, token)
	res.got = status
	if r.reuse && status >= 400 && status < 500 {
		f.reusable[key] = m
	}
	switch {
	case status != want:
		res.detail = truncate(string(respBody), 300)
	case r.check != nil && want < 300:
		if msg := r.check(f, c, respBody); msg != "" {
			res.badBody, res.detail = true, msg
		}
	}
	return res
}

// routeMatches reports whether a concrete path fits a route pattern.
func routeMatches(route, path string) bool {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	rs, ps := strings.Split(route, "/"), strings.Split(path, "/")
	if len(rs) != len(ps) {
		return false
	}
	for i := range rs {
		if !strings.HasPrefix(rs[i], ":") && rs[i] != ps[i] {
			return false
		}
		if strings.HasPrefix(rs[i], ":") && ps[i] == "" {
			return false
		}
	}
	return true
}

// send makes one request and returns its status and body.
func (f *fixture) send(method, path string, body any, token string) (int, []byte) {
	var (
		rd io.Reader
		ct string
	)
	switch b := body.(type) {
	case nil:
	case upload:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range b.fields {
			if err := mw.WriteField(k, v); err != nil {
				f.failf("multipart field: %v", err)
			}
		}
		fw, err := mw.CreateFormFile("file", b.filename)
		if err != nil {
			f.failf("multipart file: %v", err)
		}
		if _, err := fw.Write(b.content); err != nil {
			f.failf("multipart file: %v", err)
		}
		if err := mw.Close(); err != nil {
			f.failf("multipart: %v", err)
		}
		rd, ct = &buf, mw.FormDataContentType()
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			f.failf("encode body: %v", err)
		}
		rd, ct = bytes.NewReader(buf), "application/json"
	}
	// The body is kept to validate the exchange against the OpenAPI document.
	var reqBody []byte
	if rd != nil {
		b, err := io.ReadAll(rd)
		if err != nil {
			f.failf("read body: %v", err)
		}
		reqBody, rd = b, bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, f.env.URL+path, rd)
	if err != nil {
		f.failf("new request: %v", err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := f.env.Client.Do(req)
	if err != nil {
		f.failf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		f.failf("read body: %v", err)
	}
	if msg := apitest.CheckExchange(req, reqBody, resp.StatusCode, resp.Header, out); msg != "" {
		f.failf("%s", msg)
	}
	return resp.StatusCode, out
}

// apiRoute reports whether a registered route belongs to the matrix: the API
// under /api/v1, except the OpenAPI documents.
func apiRoute(method, path string) bool {
	switch {
	case !strings.HasPrefix(path, "/api/v1/"):
		return false
	case path == "/api/v1/openapi.json" || path == "/api/v1/openapi.yaml":
		return false
	}
	return true
}

// checkCoverage fails for every registered route without a row and every row
// whose route is not registered.
func checkCoverage(t *testing.T, env *apitest.Env) {
	t.Helper()
	registered := map[string]bool{}
	for _, r := range env.App.Server.Echo.Routes() {
		if apiRoute(r.Method, r.Path) {
			registered[r.Method+" "+r.Path] = true
		}
	}
	covered := map[string]bool{}
	for _, r := range rows {
		covered[r.method+" "+r.route] = true
	}
	var missing, stale []string
	for k := range registered {
		if !covered[k] {
			missing = append(missing, k)
		}
	}
	for k := range covered {
		if !registered[k] {
			stale = append(stale, k)
		}
	}
	slices.Sort(missing)
	slices.Sort(stale)
	for _, k := range missing {
		t.Errorf("route %s is registered but has no row in the authorization matrix: add one (see matrix_test.go)", k)
	}
	for _, k := range stale {
		t.Errorf("the authorization matrix has a row for %s, which is not a registered route: remove or fix it", k)
	}
	t.Logf("%d API routes registered", len(registered))
}

// table renders the matrix: one line per row, one column per cell.
func table(results []rowResult) string {
	cols := columns()
	width := 0
	for _, rr := range results {
		width = max(width, len(rr.row.name()))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s", width, "")
	for _, c := range cols {
		fmt.Fprintf(&b, " %-8s", shortCol(c))
	}
	b.WriteString("\n")
	for _, rr := range results {
		fmt.Fprintf(&b, "%-*s", width, rr.row.name())
		for _, c := range cols {
			res, ok := rr.cells[c]
			s := "-"
			switch {
			case !ok:
			case res.ok():
				s = fmt.Sprint(res.got)
			case res.badBody:
				s = fmt.Sprintf("✗%d:body", res.got)
			default:
				s = fmt.Sprintf("✗%d/%d", res.got, res.want)
			}
			fmt.Fprintf(&b, " %-8s", s)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// shortCol abbreviates a column key for the table header: "sup/oth".
func shortCol(c string) string {
	r, rel, ok := strings.Cut(c, "/")
	if !ok {
		return c
	}
	abbr := map[string]string{"admin": "adm", "supervisor": "sup", "leader": "lea", "member": "mem", "undertaker": "und", "auditor": "aud"}
	return abbr[r] + "/" + rel[:min(3, len(rel))]
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
