package users

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/problem"
)

// checkProfile checks the free-text fields (already trimmed by the caller).
func checkProfile(display, email, phone, title *string) []problem.FieldError {
	var errs []problem.FieldError
	switch n := utf8.RuneCountInString(*display); {
	case n == 0:
		errs = append(errs, fieldError("display_name", "required", "is required"))
	case n > 100:
		errs = append(errs, fieldError("display_name", "max", "must be at most 100 characters"))
	}
	if *email != "" {
		addr, err := mail.ParseAddress(*email)
		if err != nil || addr.Address != *email || len(*email) > 200 {
			errs = append(errs, fieldError("email", "email", "must be an email address"))
		}
	}
	if utf8.RuneCountInString(*phone) > 50 {
		errs = append(errs, fieldError("phone", "max", "must be at most 50 characters"))
	}
	if utf8.RuneCountInString(*title) > 100 {
		errs = append(errs, fieldError("title", "max", "must be at most 100 characters"))
	}
	return errs
}

// checkRoles validates a set of roles and returns it without repeats, in display order.
func checkRoles(in []string) ([]string, []problem.FieldError) {
	if len(in) == 0 {
		return nil, []problem.FieldError{fieldError("roles", "min", "must name at least one role")}
	}
	for _, r := range in {
		if !access.ValidRole(r) {
			return nil, []problem.FieldError{fieldError("roles", "oneof", fmt.Sprintf("unknown role %q; use %s", r, roleList()))}
		}
	}
	return sortRoles(in), nil
}

// sortRoles returns the distinct roles in the display order of access.Roles.
func sortRoles(in []string) []string {
	out := make([]string, 0, len(in))
	for _, r := range access.Roles {
		if slices.Contains(in, string(r)) {
			out = append(out, string(r))
		}
	}
	for _, r := range in { // unknown roles in the database still show
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func roleList() string {
	names := make([]string, len(access.Roles))
	for i, r := range access.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

func fieldError(field, rule, msg string) problem.FieldError {
	return problem.FieldError{Field: field, Rule: rule, Message: msg}
}

func usernameTakenProblem(username string) error {
	return problem.Conflict(CodeUsernameTaken, fmt.Sprintf("the username %q is taken", username))
}
