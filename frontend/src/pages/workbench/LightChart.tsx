// Loaded lazily by the workbench: ECharts stays out of the initial bundle. Only the
// pieces used are registered (echarts/core), not the whole library; the labels carry
// names and counts, so neither the tooltip nor the legend (about 25 KB gzip) is needed.
import { PieChart, type PieSeriesOption } from 'echarts/charts'
// `use` renamed: it registers ECharts modules and is no React hook
import { type ComposeOption, init, use as register } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { useEffect, useEffectEvent, useRef } from 'react'

register([PieChart, SVGRenderer])

type Option = ComposeOption<PieSeriesOption>

export interface Slice {
  key: string
  name: string
  value: number
  color: string
}

function optionOf(data: Slice[]): Option {
  // animations make browser-test screenshots depend on timing
  const animate = typeof navigator === 'undefined' || !navigator.webdriver
  return {
    animation: animate,
    animationDuration: 300,
    series: [
      {
        type: 'pie',
        radius: ['36%', '58%'],
        cursor: 'pointer',
        // small slices crowd their labels: never cut a label short, move it instead
        label: { formatter: '{b} {c}', fontSize: 13, overflow: 'none' },
        labelLine: { length: 12, length2: 10 },
        minShowLabelAngle: 0,
        avoidLabelOverlap: true,
        data: data.map((d) => ({
          name: d.name,
          value: d.value,
          itemStyle: { color: d.color },
          // a zero slice has no area: its label would sit on top of another one
          ...(d.value === 0 ? { label: { show: false }, labelLine: { show: false } } : {}),
        })),
      },
    ],
  }
}

/** A donut of counts; clicking a slice answers its key. */
export default function LightChart({ data, label, onSelect }: { data: Slice[]; label: string; onSelect: (key: string) => void }) {
  const el = useRef<HTMLDivElement>(null)
  const chart = useRef<ReturnType<typeof init> | null>(null)
  const clicked = useEffectEvent((index: number) => {
    const slice = data[index]
    if (slice) onSelect(slice.key)
  })
  useEffect(() => {
    if (!el.current) return
    const c = init(el.current, undefined, { renderer: 'svg' })
    chart.current = c
    c.on('click', (p) => clicked(p.dataIndex))
    const resize = new ResizeObserver(() => c.resize())
    resize.observe(el.current)
    return () => {
      resize.disconnect()
      c.dispose()
      chart.current = null
    }
  }, [])
  useEffect(() => {
    chart.current?.setOption(optionOf(data))
  }, [data])
  return <div ref={el} role="img" aria-label={label} style={{ width: '100%', height: 260 }} data-testid="light-chart" />
}
