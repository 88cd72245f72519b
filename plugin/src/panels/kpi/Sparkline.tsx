import React from 'react';
import { testIds } from '../../shared/testIds';

interface Props {
  points: number[];
  color: string;
  className: string;
}

/** A plain SVG trend line: no axes, scaled to the series' own min and max. */
export function Sparkline({ points, color, className }: Props) {
  if (points.length < 2) return null;
  const min = Math.min(...points);
  const max = Math.max(...points);
  const span = max - min || 1;
  const coords = points.map((p, i) => `${((i / (points.length - 1)) * 100).toFixed(2)},${(28 - ((p - min) / span) * 26).toFixed(2)}`);
  return (
    <svg
      className={className}
      viewBox="0 0 100 30"
      preserveAspectRatio="none"
      data-testid={testIds.kpi.sparkline}
      role="img"
      aria-label={`Trend over ${points.length} periods`}
    >
      <polyline points={coords.join(' ')} fill="none" stroke={color} strokeWidth={2} vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
