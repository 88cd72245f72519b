import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

export const getStyles = (theme: GrafanaTheme2) => ({
  root: css({ display: 'flex', flexDirection: 'column', height: '100%', gap: theme.spacing(1), minHeight: 0 }),
  message: css({ color: theme.colors.text.secondary, padding: theme.spacing(1) }),
  header: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  issue: css({ color: theme.colors.warning.text }),
  // Steps and the connectors between them in columns; bars in the first row, labels in the second,
  // so a label that wraps lowers no step's bars.
  chart: css({ display: 'grid', flex: 1, minHeight: 0, gridTemplateRows: 'minmax(0, 1fr) auto' }),
  // Room above the tallest bar for its count.
  plot: css({ display: 'flex', minHeight: 0, minWidth: 0, alignItems: 'flex-end', gap: 2, paddingTop: theme.spacing(2.5) }),
  slot: css({ display: 'flex', flexDirection: 'column', justifyContent: 'flex-end', flex: 1, height: '100%', minWidth: 0 }),
  count: css({
    flexShrink: 0,
    textAlign: 'center',
    fontSize: theme.typography.bodySmall.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    fontVariantNumeric: 'tabular-nums',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
  // Not shrunk by the count above it: the tallest bar's count sits in the plot's top padding.
  stack: css({
    display: 'flex',
    flexDirection: 'column',
    flexShrink: 0,
    borderRadius: theme.shape.radius.default,
    overflow: 'hidden',
    cursor: 'default',
  }),
  label: css({
    minWidth: 0,
    textAlign: 'center',
    paddingTop: theme.spacing(0.5),
    fontSize: theme.typography.bodySmall.fontSize,
    lineHeight: theme.typography.bodySmall.lineHeight,
  }),
  overall: css({ color: theme.colors.text.secondary, fontVariantNumeric: 'tabular-nums' }),
  connector: css({
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'center',
    alignItems: 'center',
    flex: '0 0 auto',
    minWidth: 56,
    padding: theme.spacing(0, 0.5),
    gap: theme.spacing(0.25),
    fontSize: theme.typography.bodySmall.fontSize,
    fontVariantNumeric: 'tabular-nums',
    whiteSpace: 'nowrap',
  }),
  conversion: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(0.5), fontWeight: theme.typography.fontWeightMedium }),
  dropOff: css({ color: theme.colors.text.secondary }),
  dot: css({ width: 8, height: 8, borderRadius: '50%', flex: '0 0 auto' }),
  tooltip: css({ display: 'grid', gridTemplateColumns: 'auto auto', columnGap: theme.spacing(1.5), fontVariantNumeric: 'tabular-nums' }),
});
