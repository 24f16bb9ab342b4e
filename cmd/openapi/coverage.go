package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// coverage compares the operations of the document with those the HTTP tests
// exercised (internal/apitest appends "METHOD /path" lines to files in dir, one file
// per test process) and fails naming every operation no test reached.
func coverage(docPath, dir string, out io.Writer) error {
	doc, err := openapi3.NewLoader().LoadFromFile(docPath)
	if err != nil {
		return err
	}
	hit := map[string]bool{}
	exchanges := 0
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return err
	}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" {
				hit[line] = true
				exchanges++
			}
		}
		fh.Close()
	}
	var all, missing []string
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method := range item.Operations() {
			key := strings.ToUpper(method) + " " + path
			all = append(all, key)
			if !hit[key] {
				missing = append(missing, key)
			}
		}
	}
	sort.Strings(missing)
	fmt.Fprintf(out, "openapi coverage: %d of %d operations exercised by the HTTP tests; %d exchanges validated against %s\n",
		len(all)-len(missing), len(all), exchanges, docPath)
	for _, m := range missing {
		fmt.Fprintln(out, "  not exercised:", m)
	}
	if len(missing) > 0 {
		return fmt.Errorf("%d operations of the document are exercised by no test (add a request through internal/apitest)", len(missing))
	}
	return nil
}
