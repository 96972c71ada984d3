// A passed query string reaches the origin exactly as the client wrote it, awkward parts included.

import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { keyArb } from '../arbitraries/keys.ts';
import { behaviour } from '../support/behaviour.ts';
import { useLawFixture } from '../support/law-fixture.ts';
import { configure, rule } from '../support/mirror-laws.ts';

const fixture = useLawFixture();

/** Query parts that a parse-and-reserialise would change: bare names, empty values, '+', escapes. */
const partArb = fc.oneof(
  // Names start with 'q': no S3 subresource does (acl, cors, ...), which a target may answer itself.
  fc.stringMatching(/^q[a-z]{0,3}=[A-Za-z0-9._~-]{0,6}$/),
  fc.constantFrom('a', 'a=', '=v', 'a=1', 'a=2', 'b=x+y', 'c=%20', 'd=%2F%3F', 'e=a=b', 'f=%E2%9C%93', 'g=~'),
);

describe('the query string', () => {
  behaviour(
    'origin.query-verbatim',
    'a passed query reaches the origin byte for byte: order, repeated names, bare names, empty values and escapes',
    async () => {
      await fc.assert(
        fc.asyncProperty(keyArb, fc.array(partArb, { minLength: 1, maxLength: 8 }), async (key, parts) => {
          const bucket = await fixture.bucket();
          const path = fixture.originPath();
          fixture.origin.scriptPrefix(path, { body: 'q' });
          await configure(fixture, bucket, [
            rule('all', [`${fixture.origin.url}${path}`], { passQueryString: true }),
          ]);
          const query = parts.join('&');
          expect((await fixture.target.client.getObject(bucket, key, { query })).status).toBe(200);
          const [request] = fixture.origin.requestsUnder(path);
          expect(request?.query).toBe(query);
        }),
      );
    },
  );
});
