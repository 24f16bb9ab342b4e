package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Swagger 2.0 (and swag) writes an enum inline wherever it is used, so a generated
// client gets a new type for every copy. The converter lifts every inline string
// enum into a shared component and points each use at it: one value set, one
// component. The name comes from where the set is first met (Schema + property,
// e.g. Item.state → ItemState), unless enumNames gives the well-known name of the
// home of that set.
var enumNames = map[string]string{
	"Item.state":                  "ItemState",
	"Item.light":                  "Light",
	"Item.category":               "Category",
	"CreateItem.urgency":          "Urgency",
	"CreateItem.source":           "Source",
	"CreateItem.method":           "Method",
	"CreateItem.meeting_type":     "MeetingType",
	"CreateItem.feedback_cadence": "FeedbackCadence",
	"Item.warning_cleared_light":  "ClearedLight",
	"Item.allowed_actions":        "Action",
	"Me.roles":                    "Role",
	"APIToken.scopes":             "TokenScope",
	"Assignment.role":             "AssignmentRole",
	"Assignment.state":            "AssignmentState",
	"OrgUnit.kind":                "OrgUnitKind",
	"Feedback.state":              "FeedbackState",
	"Extension.state":             "RequestState",
	"Bulletin.state":              "BulletinState",
	"Bulletin.kind":               "BulletinKind",
	"Notification.kind":           "NotificationKind",
	"User.source":                 "UserSource",
	"Verification.method":         "VerificationMethod",
	"Verification.result":         "VerificationResult",
}

type enumUse struct {
	home string              // Schema.property, or operationId.parameter
	at   *openapi3.SchemaRef // the schema holding the enum (replaced by a ref)
	// replace swaps the use for a reference.
	replace func(*openapi3.SchemaRef)
}

func enumKey(vals []any) string {
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, "\x00")
}

func pascal(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '-' || r == '.' || r == ' ' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// isInlineEnum: a plain string enum (not a reference) worth sharing.
func isInlineEnum(r *openapi3.SchemaRef) bool {
	return r != nil && r.Ref == "" && r.Value != nil && r.Value.Type.Is("string") && len(r.Value.Enum) > 1
}

func liftEnums(doc *openapi3.T) {
	var uses []enumUse
	// Properties of component schemas, and the items of array properties.
	names := make([]string, 0, len(doc.Components.Schemas))
	for n := range doc.Components.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		s := doc.Components.Schemas[name].Value
		if s == nil {
			continue
		}
		props := make([]string, 0, len(s.Properties))
		for p := range s.Properties {
			props = append(props, p)
		}
		sort.Strings(props)
		for _, p := range props {
			pr := s.Properties[p]
			home := name + "." + p
			if isInlineEnum(pr) {
				uses = append(uses, enumUse{home: home, at: pr, replace: func(r *openapi3.SchemaRef) {
					// A reference takes no siblings in OpenAPI 3.0: what belongs to
					// this use (nullable, a description) goes beside it in allOf.
					if v := pr.Value; v.Nullable || v.Description != "" {
						s.Properties[p] = openapi3.NewSchemaRef("", &openapi3.Schema{Nullable: v.Nullable, Description: v.Description, AllOf: openapi3.SchemaRefs{r}})
						return
					}
					s.Properties[p] = r
				}})
			} else if pr.Ref == "" && pr.Value != nil && isInlineEnum(pr.Value.Items) {
				arr := pr.Value
				uses = append(uses, enumUse{home: home, at: arr.Items, replace: func(r *openapi3.SchemaRef) { arr.Items = r }})
			}
		}
	}
	// Parameters come last: they share the components the schemas named.
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for _, method := range sortedMethods(item) {
			op := item.GetOperation(method)
			for _, pr := range op.Parameters {
				if pr.Value == nil || pr.Value.Schema == nil {
					continue
				}
				param := pr.Value
				home := op.OperationID + "." + param.Name
				if isInlineEnum(param.Schema) {
					uses = append(uses, enumUse{home: home, at: param.Schema, replace: func(r *openapi3.SchemaRef) {
						param.Schema = r
					}})
				} else if sc := param.Schema.Value; param.Schema.Ref == "" && sc != nil && isInlineEnum(sc.Items) {
					uses = append(uses, enumUse{home: home, at: sc.Items, replace: func(r *openapi3.SchemaRef) { sc.Items = r }})
				}
			}
		}
	}
	// Sets with a well-known home are named first, then the rest in order.
	byKey := map[string]string{}
	taken := map[string]bool{}
	for n := range doc.Components.Schemas {
		taken[n] = true
	}
	for _, u := range uses {
		if want, ok := enumNames[u.home]; ok && !taken[want] {
			k := enumKey(u.at.Value.Enum)
			if _, named := byKey[k]; !named {
				byKey[k] = want
				taken[want] = true
			}
		}
	}
	components := map[string]*openapi3.Schema{}
	for _, u := range uses {
		k := enumKey(u.at.Value.Enum)
		name, ok := byKey[k]
		if !ok {
			base := pascal(u.home)
			name = base
			for i := 2; taken[name]; i++ {
				name = fmt.Sprintf("%s%d", base, i)
			}
			byKey[k] = name
			taken[name] = true
		}
		if components[name] == nil {
			components[name] = &openapi3.Schema{Type: &openapi3.Types{"string"}, Enum: u.at.Value.Enum}
		}
		u.replace(openapi3.NewSchemaRef("#/components/schemas/"+name, components[name]))
	}
	for name, s := range components {
		doc.Components.Schemas[name] = openapi3.NewSchemaRef("", s)
	}
}

func sortedMethods(item *openapi3.PathItem) []string {
	ops := item.Operations()
	out := make([]string, 0, len(ops))
	for m := range ops {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}
