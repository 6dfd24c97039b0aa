import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../dashboards/load.js';
import { ALERTMANAGER_EXAMPLE_PATH } from '../defaults.js';
import { runTool } from './tools.js';

const config = join(ROOT, ALERTMANAGER_EXAMPLE_PATH);

describe('Alertmanager example', () => {
  it('passes amtool check-config', () => {
    const result = runTool('amtool', ['check-config', config]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it.each([
    ['critical', 'critical-webhook'],
    ['warning', 'warning-webhook'],
  ])('routes severity=%s to %s', (severity, receiver) => {
    const result = runTool('amtool', [
      'config',
      'routes',
      'test',
      `--config.file=${config}`,
      `severity=${severity}`,
      'alertname=AiProviderAllProvidersUnavailable',
    ]);
    expect(result.status, result.output).toBe(0);
    expect(result.stdout.trim()).toBe(receiver);
  });
});
