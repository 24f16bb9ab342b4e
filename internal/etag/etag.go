// Package etag holds optimistic locking as clients see it: a resource's version as
// an entity tag, and the versions an If-Match header names. Services check a
// Precondition without knowing HTTP; the HTTP layer parses the header
// (httpserver.IfMatch) and sets the tag (httpserver.SetETag).
package etag

import (
	"slices"
	"strconv"
	"strings"

	"github.com/duban/duban/internal/problem"
)

// Precondition is a parsed If-Match: the versions the client accepts. nil means no
// precondition (header absent or "*"); an empty list matches nothing.
type Precondition []int

// Of renders a version as a strong entity tag: "3".
func Of(version int) string { return `"` + strconv.Itoa(version) + `"` }

// Parse reads an If-Match header: nil when absent or "*", else the versions it names
// ("3", W/"3" or 3), an empty list when none is one of ours.
func Parse(header string) Precondition {
	header = strings.TrimSpace(header)
	if header == "" || header == "*" {
		return nil
	}
	out := Precondition{}
	for tag := range strings.SplitSeq(header, ",") {
		if v, ok := version(tag); ok {
			out = append(out, v)
		}
	}
	return out
}

// Matches reports whether an If-None-Match list names the version (or is "*").
func Matches(list string, v int) bool {
	for tag := range strings.SplitSeq(list, ",") {
		if strings.TrimSpace(tag) == "*" {
			return true
		}
		if got, ok := version(tag); ok && got == v {
			return true
		}
	}
	return false
}

// Check answers 412 (naming the current version) unless the precondition is absent
// or names the current version.
func (pc Precondition) Check(current int) error {
	if pc == nil || slices.Contains(pc, current) {
		return nil
	}
	return problem.PreconditionFailed("the resource has changed (now version "+strconv.Itoa(current)+"); reload it and retry").
		With("current_version", current)
}

func version(tag string) (int, bool) {
	tag = strings.Trim(strings.TrimPrefix(strings.TrimSpace(tag), "W/"), `"`)
	v, err := strconv.Atoi(tag)
	return v, err == nil && v >= 0
}
