// The pickers' shift as a chart: units per 15 minutes, one line per picker, drawn by uPlot. Loaded
// only when the Pickers tab shows it (React.lazy), so none of it is in any other screen's scripts.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { PickersAnswer } from '../../domain/supervisor-floor';

/** Chart height in CSS pixels; the width follows the panel. */
const HEIGHT = 220;

export default function PickerChart({ answer, colours }: { answer: PickersAnswer; colours: readonly string[] }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const start = Date.parse(answer.shift.startedAt) / 1000;
    const step = answer.shift.bucketMinutes * 60;
    const buckets = Math.max(0, ...answer.pickers.map((p) => p.series.length));
    const xs = Array.from({ length: buckets }, (_, i) => start + i * step);
    const plot = new uPlot(
      {
        width: Math.max(element.clientWidth, 280),
        height: HEIGHT,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(5, max)] } },
        axes: [{ stroke: '#0b0f19' }, { stroke: '#0b0f19', label: 'Units' }],
        series: [{}, ...answer.pickers.map((p, i) => ({ label: p.userName, stroke: colours[i % colours.length], width: 2, points: { show: true } }))],
      },
      [xs, ...answer.pickers.map((p) => xs.map((_, i) => p.series[i] ?? 0))],
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 280), height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [answer, colours]);

  return <div ref={box} className="picker-chart-canvas" aria-hidden="true" />;
}
