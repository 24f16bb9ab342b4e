import { Tabs as AntTabs, type TabsProps } from 'antd'
import { useEffect, useRef } from 'react'

/**
 * antd's Tabs with the tablist role on the element that holds only the tabs.
 *
 * antd puts role="tablist" on the whole tab bar, which also holds the overflow
 * button (…) it shows when the tabs do not fit (phones, long English labels). A
 * tablist may own only tabs, so screen readers misread it and axe reports a critical
 * aria-required-children. Once rendered, the role moves to the inner list of tabs;
 * React leaves the attribute alone afterwards (its prop does not change), and a
 * re-render that brings it back is caught by the observer.
 */
export function Tabs(props: TabsProps) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const root = ref.current
    if (!root) return
    const fix = () => {
      for (const nav of root.querySelectorAll('.ant-tabs-nav[role="tablist"]')) {
        const list = nav.querySelector('.ant-tabs-nav-list')
        if (!list) continue
        list.setAttribute('role', 'tablist')
        const orientation = nav.getAttribute('aria-orientation')
        if (orientation) list.setAttribute('aria-orientation', orientation)
        nav.removeAttribute('role')
        nav.removeAttribute('aria-orientation')
      }
    }
    fix()
    const observer = new MutationObserver(fix)
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['role'] })
    return () => observer.disconnect()
  }, [])
  return (
    <div ref={ref}>
      <AntTabs {...props} />
    </div>
  )
}
