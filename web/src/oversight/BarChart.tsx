import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart as EBar, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([EBar, LineChart, GridComponent, TooltipComponent, SVGRenderer]);

export interface Series {
  name: string;
  values: (number | null)[];
}

/**
 * A bar (or line) chart drawn as SVG. It is hidden from assistive technology on purpose: every chart on these
 * pages sits next to a table with the same numbers, which is what a screen reader reads (WCAG 1.1.1).
 */
export function Chart({ categories, series, kind = 'bar', max }: { categories: string[]; series: Series[]; kind?: 'bar' | 'line'; max?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      grid: { left: 40, right: 16, top: 16, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: categories },
      yAxis: { type: 'value', ...(max !== undefined ? { max } : {}) },
      // Colours with at least 3:1 contrast against white (WCAG 1.4.11).
      color: ['#0b5cad', '#b3261e', '#1e6b34'],
      series: series.map((s) => ({ name: s.name, type: kind, data: s.values })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [categories, series, kind, max]);
  return <div ref={ref} className="oversight-chart" aria-hidden="true" />;
}
