/**
 * Validation against the export's JSON Schema (docs/export.md#schema) with Ajv (draft 2020-12, with formats):
 * the shipped file, or the copy a server serves.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import shippedSchema from '../../shared/export/goals-export-1.schema.json' with { type: 'json' };

export { shippedSchema };

/** A validator for `schema`: the list of errors for a document, empty when it is valid. */
export function exportValidator(schema: object = shippedSchema): (document: unknown) => string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (document) => {
    if (validate(document)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
  };
}
