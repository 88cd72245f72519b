import { z } from 'zod';

/**
 * Grafana's file-provisioning formats as far as this project uses them, strict so a misspelt
 * key fails. Alert rules follow Grafana's RuleFileV1 / AlertRuleGroupV1 / AlertRuleV1 / QueryV1
 * (pkg/services/provisioning/alerting); data sources its `datasources` list.
 */
const relativeTimeRange = z.strictObject({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() });
const duration = z.string().regex(/^\d+[smhdw]$/, 'a duration such as 0s, 5m or 1h');

export const alertQuerySchema = z.strictObject({
  refId: z.string().min(1),
  queryType: z.string().optional(),
  relativeTimeRange,
  datasourceUid: z.string().min(1),
  model: z.looseObject({ refId: z.string().min(1) }),
});

export const alertRuleSchema = z.strictObject({
  uid: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/, 'Grafana uids: up to 40 letters, digits, - and _'),
  title: z.string().min(1),
  condition: z.string().min(1),
  data: z.array(alertQuerySchema).min(1),
  dashboardUid: z.string().optional(),
  panelId: z.number().int().optional(),
  noDataState: z.enum(['Alerting', 'NoData', 'OK', 'KeepLast']),
  execErrState: z.enum(['Alerting', 'Error', 'OK', 'KeepLast']),
  for: duration,
  keepFiringFor: duration.optional(),
  annotations: z.record(z.string(), z.string()),
  labels: z.record(z.string(), z.string()),
  isPaused: z.boolean(),
});

export const alertRuleFileSchema = z.strictObject({
  apiVersion: z.literal(1),
  groups: z
    .array(
      z.strictObject({
        orgId: z.number().int().positive(),
        name: z.string().min(1),
        folder: z.string().min(1),
        interval: duration,
        rules: z.array(alertRuleSchema).min(1),
      }),
    )
    .min(1),
  deleteRules: z.array(z.strictObject({ orgId: z.number().int(), uid: z.string() })).optional(),
});

export const datasourceFileSchema = z.strictObject({
  apiVersion: z.literal(1),
  datasources: z.array(
    z.strictObject({
      name: z.string().min(1),
      type: z.string().min(1),
      uid: z.string().min(1),
      access: z.enum(['proxy', 'direct']),
      url: z.string().optional(),
      user: z.string().optional(),
      isDefault: z.boolean().optional(),
      jsonData: z.record(z.string(), z.unknown()).optional(),
      secureJsonData: z.record(z.string(), z.string()).optional(),
      editable: z.boolean().optional(),
    }),
  ),
});

export type AlertRuleFile = z.infer<typeof alertRuleFileSchema>;
