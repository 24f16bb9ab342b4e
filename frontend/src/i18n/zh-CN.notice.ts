// Chinese strings of the task-notice form's route hint (第十四条) and of sub-items (分解).
const zhCNNotice = {
  notice: {
    routeTitle: '立项路径（第十四条）',
    issuerUnit: '由{{unit}}发出督办任务通知',
    issuerLead: '由牵头部门发出督办任务通知',
    needsApproval: '提交后报主管领导审批，审批通过后方可下达',
    skipsApproval: '可省略领导审批环节，提交后直接立项',
    officeSubmits: '文件类事项由督办部门直接登记提交',
    leaderRequired: '此来源须经主管领导审批，请选择主管领导',
    leaderAlwaysRequired: '提交前须指定主管领导：延期和办结由主管领导审批',
    parentTitle: '分解子事项',
    parentOf: '将作为「{{title}}」的子事项创建',
    parentMissing: '上级事项不存在或无权查看',
    milestonesTab: '节点与子事项',
    itemNotFound: '督办事项不存在',
    itemNotFoundHint: '该事项不存在、已被删除，或您所在单位无权查看。需要查看请联系督办部门。',
    subItems: '子事项',
    addSubItem: '分解子事项',
    noSubItems: '尚未分解子事项',
    subItemsHelp: '由牵头部门或督办部门将事项分解为子事项，分别明确牵头部门和时限；子事项的进度汇总到本事项。',
  },
}

export default zhCNNotice
