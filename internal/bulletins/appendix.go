package bulletins

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

func rate(v *float64) any {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *v*100)
}

// Appendix renders the bulletin's per-unit table and item lists as a workbook.
func Appendix(v *View) ([]byte, error) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", WrapText: true}})
	if err != nil {
		return nil, err
	}
	sheet := func(name string, heads []string, widths []float64, rows [][]any) error {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := f.SetSheetRow(name, "A1", &heads); err != nil {
			return err
		}
		last, _ := excelize.CoordinatesToCellName(len(heads), 1)
		if err := f.SetCellStyle(name, "A1", last, head); err != nil {
			return err
		}
		for i, w := range widths {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if err := f.SetColWidth(name, col, col, w); err != nil {
				return err
			}
		}
		for i, r := range rows {
			ref, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := f.SetSheetRow(name, ref, &r); err != nil {
				return err
			}
		}
		return f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	d := v.DataV
	var units [][]any
	for _, u := range d.Units {
		units = append(units, []any{u.UnitName, u.Assigned, u.AssignedLead, u.AssignedCooperating, u.InProgress, u.Closed, u.ClosedOnTime,
			rate(u.OnTimeRate), u.OverdueNow, u.ExtensionsRequested, u.ExtensionsGranted, u.UrgesManual, u.UrgesAuto, u.FeedbackLate, u.VerificationFailures})
	}
	if err := sheet("各单位情况", []string{"单位", "新立项", "牵头", "配合", "在办", "办结", "按期办结", "按期办结率", "超期", "申请延期", "批准延期",
		"人工催办", "自动催办", "反馈逾期", "核查未通过"}, []float64{22, 8, 8, 8, 8, 8, 10, 11, 8, 10, 10, 10, 10, 10, 11}, units); err != nil {
		return nil, err
	}
	lines := func(ls []ItemLine, note bool) [][]any {
		var out [][]any
		for _, l := range ls {
			r := []any{l.Code, l.Title, l.LeadUnit, l.Deadline, l.OriginalDeadline, l.DaysOverdue}
			if note {
				r = append(r[:5], l.Note)
			}
			out = append(out, r)
		}
		return out
	}
	if err := sheet("超期事项", []string{"督办编号", "事项名称", "牵头单位", "完成时限", "原定时限", "超期工作日"}, []float64{18, 40, 18, 12, 12, 11}, lines(d.Overdue, false)); err != nil {
		return nil, err
	}
	if err := sheet("黄灯事项", []string{"督办编号", "事项名称", "牵头单位", "完成时限", "原定时限", "超期工作日"}, []float64{18, 40, 18, 12, 12, 11}, lines(d.Warnings, false)); err != nil {
		return nil, err
	}
	if err := sheet("核查未通过", []string{"督办编号", "事项名称", "牵头单位", "完成时限", "原定时限", "核查意见"}, []float64{18, 40, 18, 12, 12, 40}, lines(d.VerificationFailures, true)); err != nil {
		return nil, err
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
