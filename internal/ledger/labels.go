// Package ledger is the supervision office's ledger (台账): GET /items/export.xlsx
// and .csv (one row per item, with every filter of GET /items, streamed), the import
// template and POST /items/import, which turns a spreadsheet of decisions (a
// meeting's minutes, say) into items through the items service, all or nothing.
package ledger

import (
	"strings"
)

// Lang is the language of headers and values: zh (default) or en.
type Lang string

const (
	Zh Lang = "zh"
	En Lang = "en"
)

// LangOf reads Accept-Language: English when the first language asked is English.
func LangOf(acceptLanguage string) Lang {
	first := strings.TrimSpace(strings.Split(acceptLanguage, ",")[0])
	if strings.HasPrefix(strings.ToLower(first), "en") {
		return En
	}
	return Zh
}

type label struct{ zh, en string }

func (l label) in(lang Lang) string {
	if lang == En {
		return l.en
	}
	return l.zh
}

// enums are the values' names in both languages (as the SPA shows them).
var enums = map[string]map[string]label{
	"category": {"important_matter": {"重要事项", "Important matter"}, "document": {"公文", "Document"}},
	"source": {
		"board": {"董事会", "Board"}, "party_group": {"党组", "Party group"}, "leader_activity": {"领导公务活动", "Leader activity"},
		"group_meeting": {"集团会议", "Group meeting"}, "special_meeting": {"专题会议", "Special meeting"}, "other": {"其他", "Other"},
		"superior_instruction": {"上级批示", "Superior instruction"}, "subsidiary_request": {"下级请示", "Subsidiary request"},
		"emergency": {"突发事件", "Emergency"}, "leader_instruction": {"领导批示/交办", "Leader's instruction"},
	},
	"state": {
		"draft": {"草稿", "Draft"}, "pending_approval": {"待审批", "Pending approval"}, "approved": {"已审批", "Approved"},
		"issued": {"已下达", "Issued"}, "in_progress": {"办理中", "In progress"}, "suspended": {"已暂停", "Suspended"},
		"completion_requested": {"申请办结", "Completion requested"}, "closed": {"已办结", "Closed"}, "archived": {"已销号", "Archived"},
		"cancelled": {"已撤销", "Cancelled"},
	},
	"light":   {"red": {"红灯", "Red"}, "yellow": {"黄灯", "Yellow"}, "blue": {"蓝灯", "Blue"}, "green": {"绿灯", "Green"}, "none": {"无", "None"}},
	"method":  {"special": {"专项督办", "Special"}, "tracking": {"跟踪督办", "Tracking"}, "on_site": {"现场督办", "On site"}, "joint": {"联合督办", "Joint"}},
	"urgency": {"normal": {"一般", "Normal"}, "urgent": {"紧急", "Urgent"}, "very_urgent": {"特急", "Very urgent"}},
	"cadence": {
		"none": {"不定期", "None"}, "weekly": {"每周", "Weekly"}, "biweekly": {"每两周", "Every two weeks"}, "monthly": {"每月", "Monthly"},
		"quarterly": {"每季度", "Quarterly"}, "milestones": {"按节点", "By milestones"},
	},
}

// Enum is the name of an enum value in lang ("" stays "").
func Enum(kind, value string, lang Lang) string {
	if l, ok := enums[kind][value]; ok {
		return l.in(lang)
	}
	return value
}

// enumValue reads an enum from a cell: its code or its name in either language.
func enumValue(kind, cell string) (string, bool) {
	c := strings.TrimSpace(cell)
	for code, l := range enums[kind] {
		if strings.EqualFold(c, code) || c == l.zh || strings.EqualFold(c, l.en) {
			return code, true
		}
	}
	return "", false
}

// column is one column of the ledger.
type column struct {
	label
	width float64
}

// ledgerColumns are the columns a supervision office keeps.
var ledgerColumns = []column{
	{label{"督办编号", "Code"}, 18},
	{label{"事项名称", "Title"}, 40},
	{label{"事项内容", "Content"}, 50},
	{label{"来源", "Source"}, 12},
	{label{"来源依据/文号", "Source reference"}, 24},
	// The document's number (公文, issue 11): searched and filtered in the list.
	{label{"文号", "Document number"}, 20},
	{label{"类别", "Category"}, 10},
	{label{"牵头单位", "Lead unit"}, 18},
	{label{"配合单位", "Cooperating units"}, 24},
	{label{"主管领导", "Supervising leader"}, 12},
	{label{"协管领导", "Assisting leaders"}, 16},
	{label{"下达日期", "Issued"}, 12},
	{label{"完成时限", "Deadline"}, 12},
	{label{"原定时限", "Original deadline"}, 12},
	// The overdue record (§14(d)): kept when a later deadline was set.
	{label{"逾期记录", "Overdue record"}, 16},
	{label{"状态", "State"}, 10},
	{label{"进度(%)", "Progress (%)"}, 9},
	{label{"预警", "Light"}, 8},
	{label{"最新反馈", "Last feedback"}, 40},
	{label{"反馈日期", "Feedback date"}, 12},
	{label{"催办次数", "Urges"}, 9},
	{label{"延期次数", "Extensions"}, 9},
	{label{"办结日期", "Closed"}, 12},
}

// Headers are the ledger's column heads in lang.
func Headers(lang Lang) []string {
	out := make([]string, len(ledgerColumns))
	for i, c := range ledgerColumns {
		out[i] = c.in(lang)
	}
	return out
}
