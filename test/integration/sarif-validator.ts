import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The SARIF 2.1.0 schema (test/schemas) compiled once: a validator that reports why a log is invalid. */
export function sarifValidator(): ((log: unknown) => boolean) & { errors?: unknown } {
  const require = createRequire(import.meta.url);
  const Ajv = require('ajv-draft-04') as new (o: object) => {
    compile(s: object): ((d: unknown) => boolean) & { errors?: unknown };
  };
  const schema = JSON.parse(readFileSync(new URL('../schemas/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'));
  return new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }).compile(schema);
}
