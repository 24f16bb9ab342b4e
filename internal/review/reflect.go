package review

import "reflect"

// reflectNew returns a new zero value of the type a nil pointer v points to.
func reflectNew(v any) any { return reflect.New(reflect.TypeOf(v).Elem()).Interface() }
