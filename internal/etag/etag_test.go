package etag

import (
	"testing"

	"github.com/duban/duban/internal/problem"
)

func TestParseAndCheck(t *testing.T) {
	t.Parallel()
	cases := []struct {
		header  string
		current int
		ok      bool
	}{
		{"", 5, true},
		{"*", 5, true},
		{`"5"`, 5, true},
		{`W/"5"`, 5, true},
		{`"4", "5"`, 5, true},
		{`"4"`, 5, false},
		{`"abc"`, 5, false},
		{"5", 5, true},
	}
	for _, tc := range cases {
		err := Parse(tc.header).Check(tc.current)
		if (err == nil) != tc.ok {
			t.Errorf("If-Match %q at version %d: %v", tc.header, tc.current, err)
		}
		if err != nil && !problem.IsPreconditionFailed(err) {
			t.Errorf("If-Match %q: want a 412 problem, got %v", tc.header, err)
		}
	}
	if Of(7) != `"7"` || !Matches(`"6", W/"7"`, 7) || Matches(`"6"`, 7) || !Matches("*", 1) {
		t.Error("Of/Matches")
	}
}
