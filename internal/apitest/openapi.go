package apitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Every exchange that goes through Env.Send is checked against the published
// document, api/openapi.json (issue 15): the document is what integrators generate
// their clients from, so the server must never answer what it does not declare.
//
//   - The response is always validated: status, headers, and the body of every JSON
//     or problem+json answer (binary downloads are checked for status and headers).
//   - The request is validated too, but a request the document calls invalid only
//     fails the test when the server accepted it (2xx): tests send invalid requests
//     on purpose to see the 400 or 422, and those are the server's business.
//   - A request under /api/v1 that matches no operation fails unless the server
//     answered 404 or 405 (tests of unknown routes).
//
// DUBAN_OPENAPI_VALIDATE=off turns the check off (to bisect a failure); the
// operations exercised are appended, once per test process, to a file in
// DUBAN_OPENAPI_COVERAGE_DIR when it is set (`go run ./cmd/openapi -coverage DIR`
// then lists the operations no test reached).

// APIPrefix is the base path of the documented operations.
const APIPrefix = "/api/v1"

var spec struct {
	once       sync.Once
	doc        *openapi3.T
	router     routers.Router
	err        error
	suffixOnce sync.Once
	suffixed   []suffixRoute
	// hitFile: this process's coverage file.
	hitFile *os.File
	mu      sync.Mutex
}

// ValidationOff reports whether DUBAN_OPENAPI_VALIDATE turns validation off.
func ValidationOff() bool { return os.Getenv("DUBAN_OPENAPI_VALIDATE") == "off" }

// moduleRoot finds the directory holding go.mod above the working directory (a
// test runs in its package's directory).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

func loadSpec() {
	spec.once.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			spec.err = err
			return
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromFile(filepath.Join(root, "api", "openapi.json"))
		if err != nil {
			spec.err = fmt.Errorf("load api/openapi.json: %w", err)
			return
		}
		// Paths are matched without the base path, which Send strips.
		doc.Servers = nil
		router, err := legacy.NewRouter(doc)
		if err != nil {
			spec.err = fmt.Errorf("route api/openapi.json: %w", err)
			return
		}
		spec.doc, spec.router = doc, router
		for _, ct := range binaryTypes {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
		}
	})
}

// The non-JSON bodies the API reads or writes.
var binaryTypes = []string{
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"text/calendar", "text/event-stream",
}

func jsonMedia(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// checkExchange validates one finished exchange against the document; it returns
// the mismatch, if any, as a sentence for the test log.
func checkExchange(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) string {
	if ValidationOff() || req.URL == nil || !strings.HasPrefix(req.URL.Path, APIPrefix+"/") {
		return ""
	}
	loadSpec()
	if spec.err != nil {
		return spec.err.Error()
	}
	// OPTIONS and HEAD are the router's; /api/v1/_… are routes tests add for themselves.
	if req.Method == http.MethodOptions || req.Method == http.MethodHead || strings.HasPrefix(req.URL.Path, APIPrefix+"/_") {
		return ""
	}
	// The route is matched on a copy without the base path.
	r := req.Clone(context.Background())
	r.URL.Path = strings.TrimPrefix(req.URL.Path, APIPrefix)
	r.URL.RawPath = ""
	r.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := spec.router.FindRoute(r)
	if err != nil {
		route, params, err = findBySuffix(r)
	}
	if err != nil {
		if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
			return ""
		}
		return fmt.Sprintf("%s %s answered %d but the document has no such operation (annotate it and run make openapi)", req.Method, req.URL.Path, status)
	}
	recordHit(route)
	opts := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}
	ctx := context.Background()
	var problems []string
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil && status >= 200 && status < 300 {
		problems = append(problems, fmt.Sprintf("the server accepted (%d) a request the document calls invalid: %v", status, err))
	}
	ropts := *opts
	ropts.ExcludeResponseBody = len(body) == 0 && status == http.StatusNoContent || !jsonMedia(header.Get("Content-Type"))
	if len(body) > 0 && !jsonMedia(header.Get("Content-Type")) && status >= 400 {
		problems = append(problems, fmt.Sprintf("error %d is %q, not application/problem+json", status, header.Get("Content-Type")))
	}
	resp := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header,
		Body: io.NopCloser(bytes.NewReader(body)), Options: &ropts,
	}
	if err := openapi3filter.ValidateResponse(ctx, resp); err != nil {
		problems = append(problems, fmt.Sprintf("the response does not match the document: %v", err))
	}
	if len(problems) == 0 {
		return ""
	}
	b := body
	if len(b) > 600 {
		b = append(b[:600:600], "…"...)
	}
	return fmt.Sprintf("OpenAPI: %s %s (operation %s) → %d:\n  %s\n  body: %s",
		req.Method, req.URL.RequestURI(), route.Operation.OperationID, status, strings.Join(problems, "\n  "), b)
}

// findBySuffix matches the paths the legacy router cannot: a parameter with a
// literal suffix in one segment (/assessments/{period}.xlsx).
func findBySuffix(r *http.Request) (*routers.Route, map[string]string, error) {
	spec.suffixOnce.Do(func() {
		for path, item := range spec.doc.Paths.Map() {
			if !strings.Contains(path, "}.") {
				continue
			}
			var names []string
			pat := "^" + paramPattern.ReplaceAllStringFunc(regexp.QuoteMeta(path), func(m string) string {
				names = append(names, strings.Trim(m, `\{}`))
				return "([^/]+?)"
			}) + "$"
			spec.suffixed = append(spec.suffixed, suffixRoute{re: regexp.MustCompile(pat), names: names, path: path, item: item})
		}
	})
	for _, sr := range spec.suffixed {
		m := sr.re.FindStringSubmatch(r.URL.Path)
		op := sr.item.GetOperation(r.Method)
		if m == nil || op == nil {
			continue
		}
		params := map[string]string{}
		for i, n := range sr.names {
			params[n] = m[i+1]
		}
		return &routers.Route{Spec: spec.doc, Path: sr.path, PathItem: sr.item, Method: r.Method, Operation: op}, params, nil
	}
	return nil, nil, routers.ErrPathNotFound
}

var paramPattern = regexp.MustCompile(`\\\{[^}]+\}`)

type suffixRoute struct {
	re    *regexp.Regexp
	names []string
	path  string
	item  *openapi3.PathItem
}

// recordHit appends the operation to this process's coverage file: one line per
// validated exchange (the check counts them, and the distinct operations).
func recordHit(route *routers.Route) {
	dir := os.Getenv("DUBAN_OPENAPI_COVERAGE_DIR")
	if dir == "" {
		return
	}
	spec.mu.Lock()
	defer spec.mu.Unlock()
	if spec.hitFile == nil {
		wd, _ := os.Getwd()
		name := fmt.Sprintf("%s-%d.txt", filepath.Base(wd), os.Getpid())
		_ = os.MkdirAll(dir, 0o755)
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return
		}
		spec.hitFile = f // closed when the test process exits
	}
	fmt.Fprintln(spec.hitFile, route.Method+" "+route.Path)
}

// CheckExchange validates an exchange a test made without Env.Send (with its own
// client, e.g. the authorization matrix) against the document; it returns the
// mismatch, or "" when the exchange agrees with the document.
func CheckExchange(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) string {
	return checkExchange(req, reqBody, status, header, body)
}
