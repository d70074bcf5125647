import { ShapeError } from '../../src/common/json-shape';

/** A JSON document as a spec edits it: any field, any depth (the point is to break its shape). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EditableJson = any;

/** A deep copy of a valid JSON document, changed by `edit`: a broken artifact for fromJSON. */
export function editedCopy<T>(valid: T, edit: (doc: EditableJson) => void): unknown {
  const doc = JSON.parse(JSON.stringify(valid));
  edit(doc);
  return doc;
}

/** The ShapeError `parse` throws for `json`; fails the test when it throws something else or accepts it. */
export function shapeErrorOf(parse: (json: unknown) => unknown, json: unknown): ShapeError {
  try {
    parse(json);
  } catch (err) {
    expect(err).toBeInstanceOf(ShapeError);
    return err as ShapeError;
  }
  throw new Error('fromJSON accepted a bad document');
}
