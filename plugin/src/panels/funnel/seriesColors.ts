import type { GrafanaTheme2 } from '@grafana/data';

/** One colour per series from the theme's palette, in series order (the classic palette's order). */
export function seriesColors(theme: GrafanaTheme2, count: number): string[] {
  const { palette } = theme.visualization;
  return Array.from({ length: count }, (_, i) => theme.visualization.getColorByName(palette[i % palette.length]!));
}
