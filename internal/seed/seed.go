// Package seed fills a database with a demo organisation: a group company with its
// headquarters departments, two subsidiary enterprises with their departments, unit
// heads and liaisons, and one user per role (and a few more to play the workflow).
//
// The General Office's supervision division (办公厅督办处) is modelled as one HQ
// department named 办公厅督办处 (short name 督办处) with is_supervision_office set,
// rather than 办公厅 with a child 督办处: departments do not nest (a department's
// parent is the group or an enterprise). Each enterprise's 办公室 is its own
// supervision office (regulation §8, §11).
//
// Every demo user has the password DemoPassword and need not change it. The demo
// is written through the org and users services, so it obeys every rule the API
// does, in one transaction.
//
// DemoItems (items.go) adds the demo supervision items and their follow-up on top:
// call Demo, then DemoItems with its Result.
package seed

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/org"
	"github.com/duban/duban/internal/users"
)

// DemoPassword is the password of every demo user.
const DemoPassword = "Demo@2026"

// ErrNotEmpty means the database holds an organisation that is not the demo.
var ErrNotEmpty = errors.New("the database already has an organisation that is not the demo; seed --demo only fills an empty database (one holding at most the bootstrap root unit and admin)")

// Account is a demo login.
type Account struct {
	Username    string
	Password    string
	DisplayName string
	Roles       []string
	Unit        string
	// Posts says what else the user is: head or liaison of which unit.
	Posts string
}

// Result is what Demo made (or found, when the demo was already there).
type Result struct {
	// AlreadySeeded is true when the demo existed and nothing was written.
	AlreadySeeded bool
	// Units maps the keys of the demo units (group, hq.supervision, hq.board,
	// hq.planning, hq.finance, hq.safety, east, east.office, east.tech, east.finance,
	// southwest, southwest.office, southwest.tech, southwest.finance) to their ids.
	Units map[string]uuid.UUID
	// Users maps usernames to ids.
	Users map[string]uuid.UUID
	// Accounts lists the logins in display order.
	Accounts []Account
}

type unitSpec struct {
	key, parent, name, short string
	kind                     org.Kind
	office                   bool
	order                    int
}

var demoUnits = []unitSpec{
	{key: "hq.supervision", parent: "group", name: "办公厅督办处", short: "督办处", kind: org.KindDepartment, office: true, order: 10},
	{key: "hq.board", parent: "group", name: "董事会办公室", short: "董办", kind: org.KindDepartment, order: 20},
	{key: "hq.planning", parent: "group", name: "规划发展部", short: "规划部", kind: org.KindDepartment, order: 30},
	{key: "hq.finance", parent: "group", name: "财务部", kind: org.KindDepartment, order: 40},
	{key: "hq.safety", parent: "group", name: "安全生产部", short: "安生部", kind: org.KindDepartment, order: 50},
	{key: "east", parent: "group", name: "华东电力有限公司", short: "华东电力", kind: org.KindEnterprise, order: 100},
	{key: "east.office", parent: "east", name: "办公室", kind: org.KindDepartment, office: true, order: 10},
	{key: "east.tech", parent: "east", name: "生产技术部", short: "生技部", kind: org.KindDepartment, order: 20},
	{key: "east.finance", parent: "east", name: "财务部", kind: org.KindDepartment, order: 30},
	{key: "southwest", parent: "group", name: "西南能源有限公司", short: "西南能源", kind: org.KindEnterprise, order: 110},
	{key: "southwest.office", parent: "southwest", name: "办公室", kind: org.KindDepartment, office: true, order: 10},
	{key: "southwest.tech", parent: "southwest", name: "生产技术部", short: "生技部", kind: org.KindDepartment, order: 20},
	{key: "southwest.finance", parent: "southwest", name: "财务部", kind: org.KindDepartment, order: 30},
}

type userSpec struct {
	username, display, title, unit string
	roles                          []string
	headOf, liaisonOf              []string
}

var demoUsers = []userSpec{
	{username: "duban", display: "李督办", title: "督办处处长", unit: "hq.supervision", roles: []string{"supervisor"}, headOf: []string{"hq.supervision"}},
	{username: "duban2", display: "周明", title: "督办处干事", unit: "hq.supervision", roles: []string{"supervisor"}, liaisonOf: []string{"hq.supervision"}},
	{username: "leader1", display: "王建国", title: "副总经理", unit: "group", roles: []string{"leader"}},
	{username: "leader2", display: "孙立平", title: "总经理", unit: "group", roles: []string{"leader"}, headOf: []string{"group"}},
	{username: "auditor", display: "吴审计", title: "纪检审计专员", unit: "group", roles: []string{"auditor"}},
	{username: "dongban.head", display: "郑东", title: "董事会办公室主任", unit: "hq.board", roles: []string{"member"}, headOf: []string{"hq.board"}, liaisonOf: []string{"hq.board"}},
	{username: "guihua.head", display: "陈规划", title: "规划发展部主任", unit: "hq.planning", roles: []string{"member"}, headOf: []string{"hq.planning"}},
	{username: "guihua.liaison", display: "刘联络", title: "规划发展部督办联络人", unit: "hq.planning", roles: []string{"member"}, liaisonOf: []string{"hq.planning"}},
	{username: "guihua.staff", display: "赵承办", title: "规划发展部主管", unit: "hq.planning", roles: []string{"member"}},
	{username: "caiwu.head", display: "钱财", title: "财务部主任", unit: "hq.finance", roles: []string{"member"}, headOf: []string{"hq.finance"}, liaisonOf: []string{"hq.finance"}},
	{username: "anquan.head", display: "冯安", title: "安全生产部主任", unit: "hq.safety", roles: []string{"member"}, headOf: []string{"hq.safety"}, liaisonOf: []string{"hq.safety"}},
	{username: "huadong.leader", display: "何华东", title: "华东电力总经理", unit: "east", roles: []string{"leader"}, headOf: []string{"east"}},
	{username: "huadong.duban", display: "许晓华", title: "华东电力办公室主任", unit: "east.office", roles: []string{"supervisor"}, headOf: []string{"east.office"}, liaisonOf: []string{"east", "east.office"}},
	{username: "huadong.tech", display: "韩生技", title: "华东电力生产技术部主任", unit: "east.tech", roles: []string{"member"}, headOf: []string{"east.tech"}, liaisonOf: []string{"east.tech"}},
	{username: "xinan.leader", display: "曹西南", title: "西南能源总经理", unit: "southwest", roles: []string{"leader"}, headOf: []string{"southwest"}},
	{username: "xinan.duban", display: "邓小川", title: "西南能源办公室主任", unit: "southwest.office", roles: []string{"supervisor"}, headOf: []string{"southwest.office"}, liaisonOf: []string{"southwest", "southwest.office"}},
	{username: "xinan.tech", display: "蒋生技", title: "西南能源生产技术部主任", unit: "southwest.tech", roles: []string{"member"}, headOf: []string{"southwest.tech"}, liaisonOf: []string{"southwest.tech"}},
}

// system is the principal the seed acts as: an admin without a user.
var system = &access.Principal{Username: "seed", Roles: []access.Role{access.RoleAdmin}}

// Demo creates the demo organisation when the database holds no units but possibly
// the bootstrap root (and admin). When the demo is already there it writes nothing
// and returns what it finds (AlreadySeeded); any other organisation is ErrNotEmpty.
func Demo(ctx context.Context, db *database.DB, log *audit.Log) (*Result, error) {
	var res *Result
	err := db.InTx(ctx, func(ctx context.Context) error {
		var n int64
		if err := db.Conn(ctx).Model(&org.Unit{}).Count(&n).Error; err != nil {
			return fmt.Errorf("count units: %w", err)
		}
		if n > 1 {
			found, err := lookup(ctx, db)
			if err != nil {
				return err
			}
			res = found
			return nil
		}
		var err error
		res, err = create(ctx, db, log)
		return err
	})
	return res, err
}

func create(ctx context.Context, db *database.DB, log *audit.Log) (*Result, error) {
	orgSvc, userSvc := org.NewService(db, log), users.NewService(db, log)
	root, _, err := org.EnsureRoot(ctx, db, log, org.RootName)
	if err != nil {
		return nil, err
	}
	res := &Result{Units: map[string]uuid.UUID{"group": root.ID}, Users: map[string]uuid.UUID{}}
	for _, u := range demoUnits {
		parent := res.Units[u.parent]
		d, err := orgSvc.Create(ctx, system, org.CreateInput{Name: u.name, ShortName: u.short, Kind: u.kind,
			ParentID: &parent, IsSupervisionOffice: u.office, SortOrder: u.order})
		if err != nil {
			return nil, fmt.Errorf("demo unit %s: %w", u.name, err)
		}
		res.Units[u.key] = d.ID
	}
	admin, err := ensureAdmin(ctx, userSvc, root.ID)
	if err != nil {
		return nil, err
	}
	res.Users[users.BootstrapUsername] = admin.ID
	heads := map[string]uuid.UUID{}
	liaisons := map[string][]uuid.UUID{}
	for _, u := range demoUsers {
		a, err := userSvc.Create(ctx, system, users.NewUser{Username: u.username, DisplayName: u.display, Password: DemoPassword,
			OrgUnitID: res.Units[u.unit], Roles: u.roles, Title: u.title, MustChangePassword: new(bool)})
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", u.username, err)
		}
		res.Users[u.username] = a.ID
		for _, k := range u.headOf {
			heads[k] = a.ID
		}
		for _, k := range u.liaisonOf {
			liaisons[k] = append(liaisons[k], a.ID)
		}
	}
	for _, key := range append([]string{"group"}, unitKeys()...) {
		in := org.UpdateInput{}
		if h, ok := heads[key]; ok {
			in.HeadUserID = org.OptionalID{Set: true, ID: &h}
		}
		if ls, ok := liaisons[key]; ok {
			in.LiaisonUserIDs = ls
		}
		if !in.HeadUserID.Set && in.LiaisonUserIDs == nil {
			continue
		}
		if _, err := orgSvc.Update(ctx, system, res.Units[key], in); err != nil {
			return nil, fmt.Errorf("demo heads and liaisons of %s: %w", key, err)
		}
	}
	res.Accounts = describe(root.Name, admin)
	return res, nil
}

type adminAccount struct {
	ID          uuid.UUID
	Username    string
	DisplayName string
	created     bool
}

// ensureAdmin keeps the bootstrap admin when there is one, else creates "admin".
func ensureAdmin(ctx context.Context, svc *users.Service, root uuid.UUID) (adminAccount, error) {
	accts, _, _, err := svc.List(ctx, system, users.ListFilter{Q: users.BootstrapUsername}, "", users.Page{Page: 1, Size: 100})
	if err != nil {
		return adminAccount{}, err
	}
	for _, a := range accts {
		if a.Username == users.BootstrapUsername {
			return adminAccount{ID: a.ID, Username: a.Username, DisplayName: a.DisplayName}, nil
		}
	}
	a, err := svc.Create(ctx, system, users.NewUser{Username: users.BootstrapUsername, DisplayName: "系统管理员", Password: DemoPassword,
		OrgUnitID: root, Roles: []string{"admin"}, Title: "系统管理员", MustChangePassword: new(bool)})
	if err != nil {
		return adminAccount{}, fmt.Errorf("demo admin: %w", err)
	}
	return adminAccount{ID: a.ID, Username: a.Username, DisplayName: a.DisplayName, created: true}, nil
}
