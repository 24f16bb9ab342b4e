// Chinese strings of the settings pages, the workbench chart and milestone editing.
const zhCNSettings = {
  settings: {
    nav: '预警设置',
    warnings: {
      title: '预警设置',
      intro:
        '督办事项的预警灯由系统按完成时限、办理节点和反馈情况自动计算，不能手工设置（督办处可对单个事项“摘牌”）。这里调整的是计算用的阈值；保存后所有事项的预警灯立即按新阈值计算。',
      daysNote: '以下“天数”均为工作日，按工作日历计算：周六、周日和法定节假日不计，调休上班日计入。',
      lightsTitle: '各色预警灯的含义',
      red: '红灯：事项已超过完成时限（逾期）。',
      yellow: '黄灯：有办理节点到期未完成；或事项已下达、办理中，承办单位的定期反馈超过应报日期加上“反馈宽限”仍未报送。',
      blue: '蓝灯：完成时限或某个未完成的节点将在“蓝灯提前量”个工作日内（含今天）到期。',
      green: '绿灯：正常办理，以上情况都没有。',
      blueWorkdays: '蓝灯提前量',
      blueHelp: '完成时限或未完成节点前多少个工作日亮蓝灯（1–30）。例如 3：周一时，周四（含）之前到期的事项亮蓝灯。',
      graceWorkdays: '反馈宽限',
      graceHelp: '定期反馈可以晚交多少个工作日才算漏报、亮黄灯（0–30）。0 表示应报日期次日仍未报送即亮黄灯。',
      workdays: '个工作日',
      range: '请输入 {{min}} 到 {{max}} 之间的整数',
      defaults: '默认值：蓝灯提前量 3 个工作日，反馈宽限 0 个工作日。',
      neverChanged: '尚未修改过，当前为默认值。',
      lastChanged: '第 {{version}} 次修改，{{time}}',
      stale: '预警设置已被他人修改，您的修改没有保存。请重新加载后再改。',
      reload: '重新加载',
      unsaved: '有未保存的修改',
    },
    lightChart: {
      title: '我的事项（按预警灯）',
      summary: '我的事项按预警灯统计：{{list}}。点击图中扇区可查看对应事项。',
      entry: '{{light}} {{count}} 项',
      separator: '，',
      empty: '暂无进行中的事项',
    },
    milestones: {
      edit: '编辑',
      editTitle: '编辑节点',
      delete: '删除',
      deleteConfirm: '删除节点“{{title}}”？',
      deleteHint: '删除会记入事项的办理过程。',
      deleted: '节点已删除',
      saved: '节点已保存',
      stale: '该节点已被他人修改，已重新加载，请核对后再操作。',
    },
  },
}

export default zhCNSettings
