// Chinese strings of departures and delegation (issue 17): the handover of a
// person's posts when they are deactivated or moved, and 代理 in "我的".
const zhCNDelegation = {
  handover: {
    title: '交接：以下事项将移交给接任人',
    none: '此人没有需要交接的职务或待办事项。',
    firstOnly: '仅列出前 {{count}} 人的事项；其余人员按默认接任人交接。',
    role: '职务',
    what: '单位 / 事项',
    default: '默认接任人',
    pending: '待决策 {{count}} 项',
    required: '此人分管的事项没有默认接任人，请指定接任的分管领导。',
    successor: '{{role}}接任人',
    useDefault: '不指定则由默认接任人接任',
    roles: {
      head: '单位主要负责人',
      liaison: '督办联络人',
      responsible: '承办人',
      supervising_leader: '分管领导',
      assisting_leader: '协管领导',
    },
    noDefault: {
      head: '空缺',
      liaison: '移除',
      responsible: '不指定（由单位负责人和联络人办理）',
      supervising_leader: '无，需指定',
      assisting_leader: '移除',
    },
  },
  delegation: {
    title: '代理',
    hint: '出差或休假期间，可将您的审批和决策委托给代理人：在代理期间，代理人可代您审批，待办中可见，事项记录注明"代 X 办理"，到期自动结束。',
    new: '设置代理',
    deputy: '代理人',
    period: '代理期间',
    reason: '事由',
    given: '我委托的代理',
    received: '我代理的',
    principal: '委托人',
    powers: '代理权限',
    power: { leader: '分管领导审批', head: '单位负责人职责' },
    statusTitle: '状态',
    status: { scheduled: '未开始', active: '代理中', expired: '已到期', ended: '已结束' },
    end: '提前结束',
    endConfirm: '确定现在结束这项代理吗？',
    created: '已设置代理',
    ended: '代理已结束',
    nothing: '您不是领导或单位负责人，没有可委托的审批和决策。',
    empty: '暂无代理',
  },
}

export default zhCNDelegation
