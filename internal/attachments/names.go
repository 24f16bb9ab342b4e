package attachments

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/duban/duban/internal/problem"
)

// extensions lists, per accepted content type, the file name extensions that may
// carry it; the first is the one added to a name without extension. A name whose
// extension does not match the detected type is refused: "invoice.pdf.bat" holding
// text would open as a batch file on the reader's machine.
var extensions = map[string][]string{
	"application/pdf": {".pdf"},
	"image/png":       {".png"},
	"image/jpeg":      {".jpg", ".jpeg", ".jfif"},
	"image/gif":       {".gif"},
	"image/webp":      {".webp"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   {".docx", ".wps"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         {".xlsx", ".et"},
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx", ".dps"},
	"application/msword":            {".doc", ".wps"},
	"application/vnd.ms-excel":      {".xls", ".et"},
	"application/vnd.ms-powerpoint": {".ppt", ".dps"},
	"application/x-ole-storage":     {".doc", ".xls", ".ppt", ".wps", ".et", ".dps"},
	"application/vnd.ms-outlook":    {".msg"},
	"text/plain":                    {".txt", ".csv", ".log", ".md"},
	"text/csv":                      {".csv", ".txt"},
	"application/ofd":               {".ofd"},
}

// CheckExtension returns the name to keep for a file of content type ctype: the
// name itself when its extension fits the type, the name with the type's
// extension added when it has none, else a 422 naming the field "file".
func CheckExtension(name, ctype string) (string, error) {
	exts := extensions[ctype]
	if len(exts) == 0 {
		return name, nil
	}
	ext := strings.ToLower(path.Ext(name))
	switch {
	case slices.Contains(exts, ext):
		return name, nil
	case ext == "" || ext == name:
		return name + exts[0], nil
	}
	return "", problem.Field("file", "extension", fmt.Sprintf(
		"the file name ends in %s but the content is %s; name it %s", ext, ctype, strings.Join(exts, ", ")))
}
