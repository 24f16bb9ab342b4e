package httpserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/problem"
)

var (
	validateOnce sync.Once
	validate     *validator.Validate
)

// Validator is the one validator of request bodies. Field errors carry JSON names.
func Validator() *validator.Validate {
	validateOnce.Do(func() {
		v := validator.New(validator.WithRequiredStructEnabled())
		v.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				return ""
			}
			if name == "" {
				return f.Name
			}
			return name
		})
		validate = v
	})
	return validate
}

// Bind decodes a JSON body into T and validates it. Malformed JSON is a 400, a wrong
// content type a 415, unknown fields, wrong types and failed rules a 422 naming the
// fields.
func Bind[T any](c echo.Context) (T, error) {
	var v T
	req := c.Request()
	if req.ContentLength != 0 {
		ct := req.Header.Get(echo.HeaderContentType)
		if ct != "" {
			mt, _, err := mime.ParseMediaType(ct)
			if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
				return v, problem.UnsupportedMedia("send the body as application/json")
			}
		}
	}
	if err := decodeJSON(req.Body, &v); err != nil {
		return v, err
	}
	if err := checkText(v); err != nil {
		return v, err
	}
	if err := ValidateStruct(v); err != nil {
		return v, err
	}
	return v, nil
}

func decodeJSON(body io.Reader, dst any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if errors.Is(err, io.EOF) {
		return problem.New(problem.KindBadRequest, problem.CodeMalformedJSON, "the request body is empty; send a JSON object")
	}
	if err == nil {
		if dec.More() {
			return problem.New(problem.KindBadRequest, problem.CodeMalformedJSON, "the body holds more than one JSON value")
		}
		return nil
	}
	var (
		syntax    *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
		maxBytes  *http.MaxBytesError
		unmarshal *json.InvalidUnmarshalError
	)
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		return he
	case errors.As(err, &maxBytes):
		return problem.TooLarge("the request body is larger than the server accepts")
	case errors.As(err, &syntax):
		return problem.New(problem.KindBadRequest, problem.CodeMalformedJSON,
			fmt.Sprintf("malformed JSON at byte %d: %v", syntax.Offset, syntax))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return problem.New(problem.KindBadRequest, problem.CodeMalformedJSON, "malformed JSON: the body ends too early")
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return problem.New(problem.KindBadRequest, problem.CodeMalformedJSON,
				fmt.Sprintf("the body must be a JSON object, not %s", typeErr.Value))
		}
		return problem.Field(field, "type", fmt.Sprintf("must be %s, not %s", jsonKind(typeErr.Type), typeErr.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return problem.Field(name, "unknown", "is not a field of this request")
	case errors.As(err, &unmarshal):
		return problem.Internal(err)
	}
	// Errors from UnmarshalJSON methods (dates, enums) are the client's.
	return problem.New(problem.KindBadRequest, problem.CodeMalformedJSON, "malformed JSON: "+err.Error())
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		if t == reflect.TypeOf(uuid.UUID{}) {
			return "a UUID string"
		}
		return "an object"
	}
	return t.String()
}

// ValidateStruct runs the validator and turns its errors into a 422 problem.
func ValidateStruct(v any) error {
	err := Validator().Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		var inv *validator.InvalidValidationError
		if errors.As(err, &inv) {
			return nil // not a struct: nothing to validate
		}
		return problem.Internal(err)
	}
	fields := make([]problem.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		fields = append(fields, problem.FieldError{
			Field:   fieldPath(fe),
			Rule:    fe.Tag(),
			Message: message(fe),
		})
	}
	return problem.Invalid(fields...)
}

// fieldPath drops the top-level struct name: "CreateItem.title" → "title".
func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return fe.Field()
}

func message(fe validator.FieldError) string {
	p := fe.Param()
	switch fe.Tag() {
	case "required", "required_if", "required_unless", "required_with", "required_without":
		return "is required"
	case "min":
		if isText(fe) {
			return fmt.Sprintf("must be at least %s characters", p)
		}
		if isList(fe) {
			return fmt.Sprintf("must have at least %s entries", p)
		}
		return "must be at least " + p
	case "max":
		if isText(fe) {
			return fmt.Sprintf("must be at most %s characters", p)
		}
		if isList(fe) {
			return fmt.Sprintf("must have at most %s entries", p)
		}
		return "must be at most " + p
	case "gte":
		return "must be at least " + p
	case "lte":
		return "must be at most " + p
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(p, " ", ", ")
	case "email":
		return "must be an email address"
	case "uuid", "uuid4":
		return "must be a UUID"
	case "datetime":
		return "must be a date in the form " + p
	case "unique":
		return "must not repeat a value"
	case "dive":
		return "has an invalid entry"
	}
	return "is invalid (" + fe.Tag() + ")"
}

func isText(fe validator.FieldError) bool { return fe.Kind() == reflect.String }
func isList(fe validator.FieldError) bool {
	return fe.Kind() == reflect.Slice || fe.Kind() == reflect.Array || fe.Kind() == reflect.Map
}

// PathUUID reads a UUID path parameter; anything else cannot name an object, so it
// answers 404 like an absent one.
func PathUUID(c echo.Context, name, what string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param(name))
	if err != nil {
		return uuid.Nil, problem.NotFound(what)
	}
	return id, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// IfMatch reads the request's If-Match header.
func IfMatch(c echo.Context) etag.Precondition { return etag.Parse(c.Request().Header.Get("If-Match")) }

// SetETag sets the response's ETag to the version.
func SetETag(c echo.Context, version int) { c.Response().Header().Set("ETag", etag.Of(version)) }
