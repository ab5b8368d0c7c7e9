// One Apache ECharts chart in a figure: only the pieces the dashboards use are registered (line and bar
// series, grid, tooltip, legend; the canvas renderer, which the gateway's CSP allows: no eval, and the inline
// styles of the chart's container and tooltip fall under style-src 'unsafe-inline'). For people who cannot
// see the canvas the figure has a visible caption, an aria-label summary on the chart and the same numbers
// in a visually hidden table. Used by the ads dashboard and the campaign detail (pages/campaigns).
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from "echarts/charts";
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import "./chart.css";

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export type ChartOption = echarts.ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

export interface ChartTable {
  columns: string[];
  rows: string[][];
}

// Text for the tooltip's HTML: names come from platforms and people.
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function EChart({
  option,
  caption,
  summary,
  table,
  height = 280,
  testId,
}: {
  option: ChartOption;
  caption: string;
  summary: string;
  table: ChartTable;
  height?: number;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = echarts.init(el, null, { renderer: "canvas" });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ animation: false, ...option }, { notMerge: true });
  }, [option]);

  return (
    <figure className="chart-figure" data-testid={testId}>
      <figcaption className="chart-caption">{caption}</figcaption>
      <div ref={box} className="chart-canvas" style={{ height }} role="img" aria-label={summary} />
      <table className="visually-hidden">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={i}>
              {r.map((v, j) => (j === 0 ? <th key={j} scope="row">{v}</th> : <td key={j}>{v}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
