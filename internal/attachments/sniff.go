package attachments

import (
	"slices"
	"strings"

	"github.com/gabriel-vasile/mimetype"
)

// allowed maps the content types Duban accepts, detected from the bytes (never from
// the name or the client's header), to a display kind. Everything else — executables,
// scripts, HTML, archives that could hide either — is refused.
var allowed = map[string]string{
	"application/pdf": "pdf",
	"image/png":       "image",
	"image/jpeg":      "image",
	"image/gif":       "image",
	"image/webp":      "image",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   "document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         "spreadsheet",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": "presentation",
	"application/msword":            "document",
	"application/vnd.ms-excel":      "spreadsheet",
	"application/vnd.ms-powerpoint": "presentation",
	"application/x-ole-storage":     "document", // older Office and WPS files
	"application/vnd.ms-outlook":    "document",
	"text/plain":                    "text",
	"text/csv":                      "text",
	"application/ofd":               "document",
}

// TypePolicy is one accepted content type and its display kind.
type TypePolicy struct {
	ContentType string
	Kind        string
}

// AcceptedTypes lists the allow-list, sorted by content type, for clients that want
// to say before an upload what will be taken.
func AcceptedTypes() []TypePolicy {
	out := make([]TypePolicy, 0, len(allowed))
	for ct, kind := range allowed {
		out = append(out, TypePolicy{ContentType: ct, Kind: kind})
	}
	slices.SortFunc(out, func(a, b TypePolicy) int { return strings.Compare(a.ContentType, b.ContentType) })
	return out
}

// Detect returns the content type of head (the first bytes of a file) and whether it
// is on the allow-list. Only the exact detected type counts: walking up to a parent
// type would let HTML or a script pass as text/plain, and any zip as an Office file.
func Detect(head []byte) (string, bool) {
	mt, _, _ := strings.Cut(mimetype.Detect(head).String(), ";")
	_, ok := allowed[mt]
	return mt, ok
}
