import type { ThemeConfig } from 'antd'

// Focus and hover borders of fields: the brand red there read as "this field is wrong"
// (issue 11 §16), so fields take a neutral blue; errors keep colorError.
const field = { activeBorderColor: '#1677ff', hoverBorderColor: '#4096ff', activeShadow: '0 0 0 2px rgba(22, 119, 255, 0.12)' }

export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#b7202e',
    colorLink: '#b7202e',
    borderRadius: 6,
    // WCAG AA contrast (4.5:1, checked by axe in e2e/specs/80-a11y.mjs): antd's
    // defaults for secondary text (0.45 black, 3.4:1), placeholders (0.25) and
    // danger red (#ff4d4f, 3.3:1) are too light on white and #f5f5f5
    colorTextTertiary: 'rgba(0, 0, 0, 0.57)',
    colorTextDescription: 'rgba(0, 0, 0, 0.57)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    colorError: '#cf1322',
    // text in the status colours (Typography.Text type="warning" / "success")
    colorWarningText: '#874d00',
    colorSuccessText: '#237804',
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Input: field,
    InputNumber: field,
    DatePicker: field,
    Mentions: field,
    Select: { activeBorderColor: field.activeBorderColor, hoverBorderColor: field.hoverBorderColor, activeOutlineColor: 'rgba(22, 119, 255, 0.12)' },
    Layout: { headerBg: '#ffffff', siderBg: '#1f2329', headerPadding: '0 16px' },
    Menu: { darkItemBg: '#1f2329', darkSubMenuItemBg: '#1a1d22', darkItemSelectedBg: '#b7202e' },
    // Tags print their text in the colour on its lightest tint: the status colours and
    // the -7 shades of gold, cyan, orange, green, volcano, lime and yellow stay under
    // 4.5:1 there; tags alone get darker ones (alerts, badges and progress keep theirs)
    Tag: {
      colorSuccess: '#237804',
      colorInfo: '#0958d9',
      colorWarning: '#874d00',
      gold7: '#874d00',
      cyan7: '#006d75',
      orange7: '#ad4e00',
      green7: '#237804',
      volcano7: '#ad2102',
      lime7: '#3f6600',
      yellow7: '#876800',
    },
  },
}
