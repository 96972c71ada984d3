// Reads a whole origin body into the store with nobody waiting on it (background copies, pre-push).
// The object becomes visible only when the body ended complete.

import type { OriginResponse } from '../origin/origin-client.ts';
import type { NewObjectMeta, ObjectMeta, ObjectWriter } from '../storage/object-store.ts';
import type { BodyCheck } from './body-check.ts';

export interface CopyOptions {
  response: OriginResponse;
  writer: ObjectWriter;
  meta: NewObjectMeta;
  /** A PUT or DELETE since this generation wins over the copy. */
  ifGeneration: number;
  maxObjectSize: number;
  check: BodyCheck;
}

/** The stored object, or undefined when the key changed meanwhile. Throws when the body fails. */
export async function copyToStore(options: CopyOptions): Promise<ObjectMeta | undefined> {
  const { response, writer } = options;
  try {
    for await (const chunk of response.body) {
      if (writer.size + chunk.byteLength > options.maxObjectSize) {
        throw new Error(`the origin sent more than the size cap of ${options.maxObjectSize} bytes`);
      }
      options.check.update(chunk);
      writer.write(chunk);
    }
    options.check.verify();
  } catch (error) {
    writer.abort();
    response.discard();
    throw error;
  }
  return writer.commit(options.meta, { ifGeneration: options.ifGeneration });
}
