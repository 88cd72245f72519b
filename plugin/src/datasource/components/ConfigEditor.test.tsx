import type { DataSourceSettings } from '@grafana/data';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { testIds } from '../../shared/testIds';
import type { CubeDataSourceOptions, CubeSecureJsonData } from '../types';
import { ConfigEditor } from './ConfigEditor';

type Settings = DataSourceSettings<CubeDataSourceOptions, CubeSecureJsonData>;

const base = {
  id: 1,
  uid: 'cube',
  name: 'Cube',
  type: 'engagement-cube-datasource',
  access: 'proxy',
  jsonData: {},
  secureJsonFields: {},
} as unknown as Settings;

/** The editor is controlled: keep its options in state as Grafana does, and record each change. */
function Harness({ initial, onChange }: { initial: Settings; onChange: (o: Settings) => void }) {
  const [options, setOptions] = useState(initial);
  return (
    <ConfigEditor
      options={options}
      onOptionsChange={(next) => {
        setOptions(next);
        onChange(next);
      }}
    />
  );
}

describe('ConfigEditor', () => {
  it('stores the URL in jsonData and the token in secureJsonData only', async () => {
    const onChange = vi.fn();
    render(<Harness initial={base} onChange={onChange} />);
    await userEvent.type(screen.getByTestId(testIds.configEditor.url), 'http://cube:4000');
    await userEvent.type(screen.getByTestId(testIds.configEditor.token), 'tok');
    const last = onChange.mock.calls.at(-1)![0] as Settings;
    expect(last.jsonData.cubeUrl).toBe('http://cube:4000');
    expect(last.secureJsonData?.token).toBe('tok');
    expect(JSON.stringify(last.jsonData)).not.toContain('tok');
  });

  it('shows a saved token as configured and resets it', async () => {
    const onChange = vi.fn();
    render(<Harness initial={{ ...base, secureJsonFields: { token: true } }} onChange={onChange} />);
    expect(screen.getByDisplayValue('configured')).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Reset' }));
    const last = onChange.mock.calls.at(-1)![0] as Settings;
    expect(last.secureJsonFields.token).toBe(false);
    expect(last.secureJsonData?.token).toBe('');
  });
});
