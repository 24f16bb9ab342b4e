package items_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
)

type sourceRouteJSON struct {
	Category         string     `json:"category"`
	Source           string     `json:"source"`
	NeedsApproval    bool       `json:"needs_approval"`
	IssuerIsLeadUnit bool       `json:"issuer_is_lead_unit"`
	IssuerUnitID     *uuid.UUID `json:"issuer_unit_id"`
	OfficeSubmits    bool       `json:"office_submits"`
}

// TestHTTPSourceRoutes: GET /item-sources tells the form what 第十四条 makes of each
// source, with the issuing units of the caller's own scope, and agrees with what
// Create then does.
func TestHTTPSourceRoutes(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		board := env.Unit("董事会办公室", "department", &w.Group, false)
		routes := func(user uuid.UUID) map[string]sourceRouteJSON {
			var body struct {
				Data []sourceRouteJSON `json:"data"`
			}
			w.as(user).Do("GET", "/api/v1/item-sources", nil).Expect(200).JSON(&body)
			out := map[string]sourceRouteJSON{}
			for _, r := range body.Data {
				out[r.Category+"/"+r.Source] = r
			}
			return out
		}
		group := routes(w.Sup)
		if len(group) != 17 {
			t.Fatalf("%d routes, want 7 matter sources × 2 categories + 3 document sources", len(group))
		}
		unit := func(id uuid.UUID) *uuid.UUID { return &id }
		for _, c := range []struct {
			key  string
			want sourceRouteJSON
		}{
			{"important_matter/board", sourceRouteJSON{IssuerUnitID: unit(board)}},
			{"important_matter/party_group", sourceRouteJSON{IssuerUnitID: unit(w.Office)}}, // no party-group office: the supervision office
			{"important_matter/leader_activity", sourceRouteJSON{IssuerUnitID: unit(w.Office)}},
			{"important_matter/group_meeting", sourceRouteJSON{IssuerUnitID: unit(w.Office)}},
			// A leader's instruction (§7(一)) goes like a leader's activity (§14(3)).
			{"important_matter/leader_instruction", sourceRouteJSON{IssuerUnitID: unit(w.Office)}},
			{"important_matter/special_meeting", sourceRouteJSON{NeedsApproval: true, IssuerIsLeadUnit: true}},
			{"important_matter/other", sourceRouteJSON{NeedsApproval: true, IssuerIsLeadUnit: true}},
			{"document/superior_instruction", sourceRouteJSON{IssuerIsLeadUnit: true, OfficeSubmits: true}},
			{"document/board", sourceRouteJSON{IssuerUnitID: unit(board), OfficeSubmits: true}},
		} {
			got, ok := group[c.key]
			c.want.Category, c.want.Source = got.Category, got.Source
			if !ok || got.NeedsApproval != c.want.NeedsApproval || got.IssuerIsLeadUnit != c.want.IssuerIsLeadUnit ||
				got.OfficeSubmits != c.want.OfficeSubmits || (got.IssuerUnitID == nil) != (c.want.IssuerUnitID == nil) ||
				(got.IssuerUnitID != nil && *got.IssuerUnitID != *c.want.IssuerUnitID) {
				t.Errorf("%s: got %+v, want %+v", c.key, got, c.want)
			}
		}
		// An enterprise's supervision office sees its own office issuing.
		if r := routes(w.EntSup)["important_matter/group_meeting"]; r.IssuerUnitID == nil || *r.IssuerUnitID != w.EntOffice {
			t.Errorf("enterprise group_meeting issuer %v, want its office %v", r.IssuerUnitID, w.EntOffice)
		}
		// The sources that skip approval are offered only to those who may declare
		// them (issue 14, point 11): a plain member gets the other twelve, a member
		// of the board office gets board too.
		member := routes(w.Member)
		for _, k := range []string{"important_matter/board", "important_matter/party_group", "important_matter/leader_activity", "important_matter/group_meeting", "important_matter/leader_instruction"} {
			if _, ok := member[k]; ok {
				t.Errorf("a member is offered %s", k)
			}
		}
		if len(member) != 12 {
			t.Errorf("a member gets %d routes, want 12", len(member))
		}
		clerk := env.User("board-clerk", board, access.RoleMember)
		if _, ok := routes(clerk)["important_matter/board"]; !ok {
			t.Error("a member of the board office is not offered board")
		}
		// Create refuses what the form does not offer, and defaults the notice
		// issuer exactly as the route said.
		w.as(w.Member).Do("POST", "/api/v1/items", w.createBody("board")).Problem(422, "validation_failed")
		var it struct {
			NoticeIssuer *uuid.UUID `json:"notice_issuer_unit_id"`
		}
		w.as(clerk).Do("POST", "/api/v1/items", w.createBody("board")).Expect(201).JSON(&it)
		if it.NoticeIssuer == nil || *it.NoticeIssuer != board {
			t.Errorf("created board item: notice issuer %v, want %v", it.NoticeIssuer, board)
		}
		env.Do("GET", "/api/v1/item-sources", nil).Problem(401, "unauthorized")
	})
}
