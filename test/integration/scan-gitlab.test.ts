/**
 * `signus scan --format gitlab`: GitLab's secret-detection report. The official schema cannot be fetched at
 * test time; this checks the fields security-report-schemas 15.x requires (and types GitLab validates),
 * plus that no key is in it.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt } from './cli-run.js';
import { cleanupTempDirs, fakeKey, makeRepo } from './scan-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

const tool = {
  type: 'object',
  required: ['id', 'name', 'version', 'vendor'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    version: { type: 'string' },
    vendor: { type: 'object', required: ['name'] },
  },
};
/** The required part of secret-detection-report-format.json (schema 15.x). */
const SCHEMA = {
  type: 'object',
  required: ['version', 'vulnerabilities', 'scan'],
  properties: {
    version: { type: 'string', pattern: '^15\\.\\d+\\.\\d+$' },
    vulnerabilities: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'identifiers', 'location', 'name', 'description', 'severity'],
        properties: {
          id: { type: 'string', minLength: 1 },
          severity: { enum: ['Info', 'Unknown', 'Low', 'Medium', 'High', 'Critical'] },
          identifiers: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['type', 'name', 'value'],
              properties: { type: { type: 'string', minLength: 1 } },
            },
          },
          location: {
            type: 'object',
            required: ['file', 'start_line', 'commit'],
            properties: {
              file: { type: 'string', minLength: 1 },
              start_line: { type: 'integer', minimum: 1 },
              end_line: { type: 'integer', minimum: 1 },
              commit: { type: 'object', required: ['sha'], properties: { sha: { type: 'string', minLength: 1 } } },
            },
          },
        },
      },
    },
    scan: {
      type: 'object',
      required: ['analyzer', 'scanner', 'type', 'start_time', 'end_time', 'status'],
      properties: {
        analyzer: tool,
        scanner: tool,
        type: { const: 'secret_detection' },
        start_time: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$' },
        end_time: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$' },
        status: { enum: ['success', 'failure'] },
      },
    },
  },
};

function validator() {
  const require = createRequire(import.meta.url);
  const Ajv = require('ajv') as new (o: object) => {
    compile(s: object): ((d: unknown) => boolean) & { errors?: unknown };
  };
  return new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);
}

describe('signus scan --format gitlab', { timeout: 30_000 }, () => {
  it('writes a secret-detection report GitLab accepts: one vulnerability per finding, under the pipeline commit, no key', async () => {
    const repo = makeRepo();
    const key = fakeKey();
    repo.write('src/app.ts', `// x\nexport const apiKey = "${key}";\n`);
    const run = await repo.signus('scan', '--format', 'gitlab');
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain(key);
    const report = JSON.parse(run.stdout) as { vulnerabilities: Record<string, unknown>[] };
    const validate = validator();
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.vulnerabilities).toHaveLength(1);
    expect(report.vulnerabilities[0]).toMatchObject({
      severity: 'High',
      location: {
        file: 'src/app.ts',
        start_line: 2,
        end_line: 2,
        commit: { sha: '0000000000000000000000000000000000000000' },
      },
      identifiers: [{ type: 'signus_rule_id', value: 'signus-api-key' }],
    });

    repo.git('add', '.');
    repo.git('commit', '-qm', 'x');
    const inPipeline = await repo.signus('scan', '--format', 'gitlab');
    const head = repo.git('rev-parse', 'HEAD').trim();
    expect(JSON.parse(inPipeline.stdout).vulnerabilities[0].location.commit.sha).toBe(head);
    // An invalid report fails the same validator, so the check above can fail.
    expect(validate({ version: '15.2.1', vulnerabilities: [{ id: 'x' }], scan: {} })).toBe(false);
  });

  it('a clean scan is an empty report', async () => {
    const repo = makeRepo();
    repo.write('a.txt', 'nothing\n');
    const run = await repo.signus('scan', '--format', 'gitlab');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { vulnerabilities: unknown[] };
    expect(validator()(report)).toBe(true);
    expect(report.vulnerabilities).toEqual([]);
  });
});
