// The spec drives the simulator: a mirror configuration is checked against the MirrorConfiguration schema
// of spec/mirror.openapi.yaml, before the checks a schema cannot state (spec/rules.ts). The document is
// read as JSON (spec/generated/mirror.openapi.json, written from the YAML by spec/codegen/generate.ts and
// checked fresh), and the schema is compiled once, on the first document to check, so that starting the
// simulator pays for neither the YAML parser nor Ajv (loaded with the schema's compilation).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020 as Ajv2020Class, ErrorObject } from 'ajv/dist/2020.js';
import type { MirrorConfigurationDocument } from './model.ts';

const SPEC_URL = new URL('./generated/mirror.openapi.json', import.meta.url);

/** A document the schema refuses: at most five problems, each naming the field and what to fix. */
export class InvalidConfiguration extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'InvalidConfiguration';
    this.problems = problems;
  }
}

function compile() {
  const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020Class };
  const spec = JSON.parse(readFileSync(SPEC_URL, 'utf8')) as object;
  // OpenAPI keywords (example, xml, discriminator) are not JSON Schema vocabulary: not strict. Formats
  // (uri) are checked in code, with messages that say what to fix.
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    verbose: true,
    validateSchema: false,
    validateFormats: false,
  });
  ajv.addSchema(spec, 'mirror.openapi');
  return ajv.compile<MirrorConfigurationDocument>({
    $ref: 'mirror.openapi#/components/schemas/MirrorConfiguration',
  });
}

let validate: ReturnType<typeof compile> | undefined;

/** The document as the spec's type, or an InvalidConfiguration naming what to fix. */
export function validateAgainstSpec(document: unknown): MirrorConfigurationDocument {
  validate ??= compile();
  if (validate(document)) return document;
  const messages = (validate.errors ?? []).filter((error) => error.keyword !== 'oneOf').map(describe);
  throw new InvalidConfiguration([...new Set(messages)].slice(0, 5));
}

function describe(error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, '') || '(document)';
  switch (error.keyword) {
    case 'additionalProperties':
      return `${path}: unknown field '${(error.params as { additionalProperty: string }).additionalProperty}'`;
    case 'required':
      return `${path}: missing required field '${(error.params as { missingProperty: string }).missingProperty}'`;
    case 'pattern': {
      const description = (error.parentSchema as { description?: string } | undefined)?.description;
      const why = description ? description.split(/(?<=\.)\s/)[0] : `must match ${error.schema as string}`;
      return `${path}: ${JSON.stringify(error.data)} is not allowed here (${why})`;
    }
    default:
      return `${path}: ${error.message ?? 'is invalid'}`;
  }
}
