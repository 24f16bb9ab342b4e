// Chinese strings of the units' shortcuts (issue 11 §14 减负): prefilled forms, reused
// files, and the small hints of §16 (holiday dates, overdue extension, pause).
const zhCNEase = {
  ease: {
    stale: '沿用 {{date}} 的报告内容，请按最新情况修改',
    staleNoDate: '沿用上次报告的内容，请按最新情况修改',
    lastProgress: '最近一次报告进度 {{progress}}%（{{date}}）',
    reuseFiles: '沿用已报送的反馈附件',
    reuseHelp: '勾选已随进展反馈报送的文件，无需重新上传',
    noExtensionOverdue: '本事项已逾期，不能再申请延期。',
    noExtensionOverdueHint: '请联系督办处（{{phone}}），由督办处报领导重新确定时限。',
    noExtensionOverdueHintNoPhone: '请联系督办处，由督办处报领导重新确定时限。',
    newDeadline: '新的完成时限',
    pauseConfirm: '确定暂停本事项？暂停期间不计时、不预警。',
    holiday: '节假日',
    holidayHint: '{{date}} 是节假日（非工作日）',
    restDayHint: '{{date}} 是周末休息日（非工作日）',
    overdueMilestone: '已逾期',
    subItemFromParent: '已按上级事项预填来源、依据、领导、要求和时限',
  },
}

export default zhCNEase
