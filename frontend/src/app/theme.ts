import type { ThemeConfig } from 'antd'

export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#b7202e',
    colorLink: '#b7202e',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#1f2329', headerPadding: '0 16px' },
    Menu: { darkItemBg: '#1f2329', darkSubMenuItemBg: '#1a1d22', darkItemSelectedBg: '#b7202e' },
  },
}
