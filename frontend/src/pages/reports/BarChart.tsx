// Loaded lazily (the cockpit and the unit page import it with React.lazy): ECharts
// stays out of the first bundle, and only the pieces used are registered.
import { BarChart as Bars, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts'
import { GridComponent, LegendComponent, type GridComponentOption, type LegendComponentOption } from 'echarts/components'
// `use` renamed: it registers ECharts modules and is no React hook
import { type ComposeOption, init, use as register } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { useEffect, useEffectEvent, useRef } from 'react'

register([Bars, LineChart, GridComponent, LegendComponent, SVGRenderer])

type Option = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption>

export interface Series {
  name: string
  values: (number | null)[]
  color: string
  kind?: 'bar' | 'line'
  /** percentages: axis and labels in % */
  percent?: boolean
  /** one colour per category (the lights) instead of the series' */
  colors?: string[]
}

function optionOf(categories: string[], series: Series[], horizontal: boolean): Option {
  const animate = typeof navigator === 'undefined' || !navigator.webdriver
  const percent = series.some((s) => s.percent)
  const valueAxis = { type: 'value' as const, minInterval: 1, max: percent ? 100 : undefined, axisLabel: { formatter: percent ? '{value}%' : '{value}' } }
  const catAxis = { type: 'category' as const, data: categories, axisLabel: { interval: 0, width: 90, overflow: 'truncate' as const } }
  return {
    animation: animate,
    animationDuration: 300,
    legend: series.length > 1 ? { top: 0 } : undefined,
    grid: { left: 8, right: 16, top: series.length > 1 ? 32 : 12, bottom: 8, containLabel: true },
    xAxis: horizontal ? valueAxis : catAxis,
    yAxis: horizontal ? { ...catAxis, inverse: true } : valueAxis,
    series: series.map((s) => ({
      type: s.kind ?? 'bar',
      name: s.name,
      data: s.values.map((v, i) => (s.colors?.[i] ? { value: v, itemStyle: { color: s.colors[i] } } : v)),
      cursor: 'pointer',
      itemStyle: { color: s.color },
      barMaxWidth: 28,
      label: { show: s.kind !== 'line', position: horizontal ? 'right' : 'top', formatter: s.percent ? '{c}%' : '{c}' },
    })),
  }
}

/** Bars (or lines) over categories; a click answers the category's index and the series'. */
export default function BarChart({
  categories,
  series,
  label,
  horizontal = false,
  height = 280,
  onSelect,
  testId,
}: {
  categories: string[]
  series: Series[]
  label: string
  horizontal?: boolean
  height?: number
  onSelect?: (index: number, series: number) => void
  testId?: string
}) {
  const el = useRef<HTMLDivElement>(null)
  const chart = useRef<ReturnType<typeof init> | null>(null)
  const clicked = useEffectEvent((index: number, s: number) => onSelect?.(index, s))
  useEffect(() => {
    if (!el.current) return
    const c = init(el.current, undefined, { renderer: 'svg' })
    chart.current = c
    c.on('click', (p) => clicked(p.dataIndex, p.seriesIndex ?? 0))
    const resize = new ResizeObserver(() => c.resize())
    resize.observe(el.current)
    return () => {
      resize.disconnect()
      c.dispose()
      chart.current = null
    }
  }, [])
  useEffect(() => {
    chart.current?.setOption(optionOf(categories, series, horizontal), true)
  }, [categories, series, horizontal])
  return <div ref={el} role="img" aria-label={label} style={{ width: '100%', height }} data-testid={testId} />
}
