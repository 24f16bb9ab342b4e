package httpserver

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/duban/duban/internal/problem"
)

// checkText refuses strings that hold a NUL character anywhere in a decoded body:
// PostgreSQL cannot store one (it answered 500), SQLite would store a string that
// compares and displays wrongly. The 422 names the field by its JSON path.
func checkText(v any) error {
	var errs []problem.FieldError
	walkStrings(reflect.ValueOf(v), "", func(path, s string) {
		if strings.IndexByte(s, 0) >= 0 && len(errs) < 20 {
			errs = append(errs, problem.FieldError{Field: path, Rule: "text", Message: "must not contain a NUL character"})
		}
	}, 0)
	if len(errs) > 0 {
		return problem.Invalid(errs...)
	}
	return nil
}

// walkStrings calls fn for every string reachable from v, with its JSON path.
func walkStrings(v reflect.Value, path string, fn func(path, s string), depth int) {
	if depth > 32 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), path, fn, depth+1)
		}
	case reflect.String:
		fn(path, v.String())
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			child := path
			switch {
			case f.Anonymous && name == "":
			case name == "":
				child = join(path, f.Name)
			default:
				child = join(path, name)
			}
			walkStrings(v.Field(i), child, fn, depth+1)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // bytes, not text
		}
		for i := 0; i < v.Len(); i++ {
			walkStrings(v.Index(i), path+"["+strconv.Itoa(i)+"]", fn, depth+1)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key()
			if k.Kind() == reflect.String {
				fn(join(path, k.String()), k.String())
				walkStrings(iter.Value(), join(path, k.String()), fn, depth+1)
			}
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
