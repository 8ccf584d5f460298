import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type Validator = ((data: unknown) => boolean) & { errors?: unknown };

let compiled: Validator | undefined;

/** The official SARIF 2.1.0 schema (vendored in test/schemas/), compiled once. */
export function sarifValidator(): Validator {
  if (compiled) return compiled;
  const require = createRequire(import.meta.url);
  const Ajv = require('ajv-draft-04') as new (o: object) => { compile(s: object): Validator };
  const schema = JSON.parse(readFileSync(new URL('../schemas/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'));
  compiled = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, logger: false }).compile(schema as object);
  return compiled;
}
