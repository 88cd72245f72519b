import { CustomVariableSupport, FieldType, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { from, map, type Observable } from 'rxjs';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { CubeDataSource } from './datasource';
import { variableQuerySchema, type CubeVariableQuery } from './types';

/** A variable query lists the values of one dimension (e.g. segment, plan, channel). */
export class CubeVariableSupport extends CustomVariableSupport<CubeDataSource, CubeVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: CubeDataSource) {
    super();
  }

  query(request: DataQueryRequest<CubeVariableQuery>): Observable<DataQueryResponse> {
    const target = request.targets[0];
    const parsed = variableQuerySchema.safeParse(target ?? {});
    if (!parsed.success) return from([{ data: [] }]);
    const replace = (text: string) => getTemplateSrv().replace(text, request.scopedVars);
    const { timeDimension, limit } = parsed.data;
    const values = this.datasource.dimensionValues({
      dimension: replace(parsed.data.dimension),
      limit,
      ...(timeDimension && request.range
        ? { timeDimension: replace(timeDimension), range: { from: request.range.from.toISOString(), to: request.range.to.toISOString() } }
        : {}),
    });
    return from(values).pipe(
      map((values) => ({
        data: [{ refId: target!.refId, length: values.length, fields: [{ name: 'text', type: FieldType.string, values, config: {} }] }],
      })),
    );
  }
}
