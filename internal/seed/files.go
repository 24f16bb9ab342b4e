package seed

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/duban/duban/internal/attachments"
)

// The demo's files, made in memory and uploaded through attachments.Service.Upload
// (which detects their type from the bytes, as for any upload).

// projectList is a plain-text list attached to an accepted report.
var projectList = []byte(strings.Join([]string{
	"2026年度重点项目清单（演示数据）",
	"",
	"序号  项目名称                    类别    责任部门      计划开工",
	"1     华东电力2号机组灵活性改造    续建    规划发展部    一季度",
	"2     西南能源光伏基地一期        新开工  规划发展部    二季度",
	"3     集团数据中心扩容            续建    规划发展部    一季度",
	"4     输煤系统智能化改造          新开工  安全生产部    三季度",
	"……（共18项）",
	"",
}, "\n"))

// inspectionRecord is the evidence of the failed on-site verification.
var inspectionRecord = []byte(strings.Join([]string{
	"现场核查记录（演示数据）",
	"",
	"核查对象：所属电厂输煤系统安全隐患整改",
	"核查方式：现场核查",
	"核查人员：督办处 李督办",
	"",
	"发现问题：",
	"1. 2号输煤皮带尾部防护罩缺失，未按整改方案恢复；",
	"2. 3号落煤管积粉严重，清扫制度未落实。",
	"",
	"核查结论：整改不到位，问题反弹，建议重新整改。",
	"",
}, "\n"))

// budgetReport is a one-page PDF, the report material of a completion request.
var budgetReport = onePagePDF("Annual Budget Execution Analysis (demo)", []string{
	"Duban demo document: the finance department's report attached",
	"to its completion request.",
	"",
	"1. Revenue reached 98.6% of budget; costs 97.2%.",
	"2. Capital expenditure reached 91.4% of budget.",
	"3. Five suggestions for next year's budget are attached.",
})

// onePagePDF writes a minimal valid PDF (Helvetica, ASCII text) with a correct
// cross-reference table.
func onePagePDF(title string, lines []string) []byte {
	esc := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`)
	var content strings.Builder
	fmt.Fprintf(&content, "BT\n/F1 16 Tf\n72 770 Td\n(%s) Tj\n/F1 11 Tf\n", esc.Replace(title))
	for _, l := range lines {
		fmt.Fprintf(&content, "0 -18 Td\n(%s) Tj\n", esc.Replace(l))
	}
	content.WriteString("ET\n")
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// trackedStorage remembers what it stored, so that a failed seed removes the files
// its rolled-back transaction no longer refers to.
type trackedStorage struct {
	attachments.Storage
	mu   sync.Mutex
	keys []string
}

func (s *trackedStorage) Put(ctx context.Context, key string, r io.Reader) error {
	if err := s.Storage.Put(ctx, key, r); err != nil {
		return err
	}
	s.mu.Lock()
	s.keys = append(s.keys, key)
	s.mu.Unlock()
	return nil
}

func (s *trackedStorage) removeAll(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.keys {
		_ = s.Storage.Delete(ctx, k)
	}
	s.keys = nil
}
