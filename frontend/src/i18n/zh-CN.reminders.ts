const zhCNReminders = {
  reminderSettings: {
    contact: {
      title: '督查室联系方式',
      phone: '联系电话',
      phoneHelp: '印在督查督办任务通知上；逾期事项的延期页签也请承办单位联系此电话。',
      person: '联系人',
      max: '最多 40 个字符',
      stale: '联系方式已被他人修改，已重新加载，请再次保存。',
    },
    nav: '自动提醒',
    title: '自动提醒与升级规则',
    intro:
      '系统每个工作日早上按以下规则自动催办（节假日和周末只提醒紧急事项，紧急事项按自然日计算）。每次自动提醒都记作一次“自动催办”，计入考核，显示在事项的办理记录中，并通知应办理的人。同一事项、同一单位、同一种提醒每天最多一次。',
    enabled: '启用',
    daysBefore: '提前（工作日）',
    daysBeforeHelp: '可选多个，0 表示当天',
    afterWorkdays: '等待（工作日）',
    workdays: '个工作日',
    range: '请输入 {{min}} 至 {{max}} 之间的整数',
    pickDays: '至少选择一天',
    readOnly: '只有督办处和系统管理员可以修改规则。',
    neverChanged: '尚未修改，当前为默认规则。',
    lastChanged: '第 {{version}} 次修改，{{time}}',
    stale: '规则已被他人修改，你的修改未保存。请重新加载后再改。',
    reload: '重新加载',
    unsaved: '有未保存的修改',
    kinds: {
      deadline_approaching: { name: '临近时限', help: '办结时限前若干个工作日提醒牵头单位（负责人、联络员、责任人）。默认提前 3 天和 1 天。' },
      overdue: { name: '已超期', help: '超过办结时限后每个工作日提醒牵头单位。' },
      feedback_due: { name: '反馈到期', help: '按反馈周期或节点，到期前若干个工作日提醒承办单位报送进展。默认到期当天。' },
      feedback_overdue: { name: '反馈逾期', help: '反馈逾期后每个工作日提醒（事项超期后改由“已超期”提醒）。' },
      assignment_not_accepted: { name: '未签收', help: '交办后超过设定工作日仍未签收，每个工作日提醒该单位。默认 2 天。' },
      extension_waiting: { name: '延期申请待审批', help: '延期申请等待决定超过设定工作日，每个工作日提醒审核人或审批领导。默认 3 天。' },
      completion_waiting: { name: '办结申请待审批', help: '办结申请等待决定超过设定工作日，每个工作日提醒审核人或审批领导。默认 3 天。' },
      escalation: { name: '督办升级', help: '超期超过设定工作日，升级提醒分管领导和牵头单位负责人（一次）。默认 5 天。' },
    },
  },
}

export default zhCNReminders
