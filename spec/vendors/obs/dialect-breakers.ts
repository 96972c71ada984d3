// OBS documents the dialect must refuse, each made from a valid one, and where an unknown field can be
// planted: test data for dialect.test.ts.
import type { NativeDocument, NativeRule, Tree } from './dialect-arbitraries.ts';

/** Where an unknown field can go, and how to make room for it in a document that may not have the object. */
export const places: Record<string, (document: NativeDocument, index: number) => Tree> = {
  document: (document) => document as unknown as Tree,
  rule: (document, index) => document.rules[index] as unknown as Tree,
  condition: (document, index) => (document.rules[index] as NativeRule).condition,
  redirect: (document, index) => (document.rules[index] as NativeRule).redirect,
  publicSource: (document, index) => (document.rules[index] as NativeRule).redirect.publicSource as Tree,
  sourceEndpoint: (document, index) =>
    ((document.rules[index] as NativeRule).redirect.publicSource as Tree).sourceEndpoint as Tree,
  mirrorHttpHeader: (document, index) => {
    const redirect = (document.rules[index] as NativeRule).redirect;
    redirect.mirrorHttpHeader ??= {};
    return redirect.mirrorHttpHeader as Tree;
  },
  'mirrorHttpHeader.set entry': (document, index) => {
    const header = places.mirrorHttpHeader?.(document, index) as Tree;
    header.set = [{ key: 'x-from', value: 'obs' }];
    return (header.set as Tree[])[0] as Tree;
  },
};
export const knownFields = new Set([
  ...['rules', 'id', 'condition', 'redirect', 'httpErrorCodeReturnedEquals', 'objectKeyPrefixEquals'],
  ...['agency', 'publicSource', 'retryConditions', 'passQueryString', 'mirrorFollowRedirect'],
  ...['redirectWithoutReferer', 'mirrorHttpHeader', 'replaceKeyWith', 'replaceKeyPrefixWith'],
  ...[
    'mirrorAllowHttpMethod',
    'sourceEndpoint',
    'master',
    'slave',
    'passAll',
    'pass',
    'remove',
    'set',
    'key',
    'value',
  ],
]);

export function insert(
  document: NativeDocument,
  place: string,
  index: number,
  key: string,
  value: unknown,
): string {
  const copy = structuredClone(document);
  const target = places[place]?.(copy, index % copy.rules.length) as Tree;
  // defineProperty, so that even `__proto__` becomes a field of the document.
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return JSON.stringify(copy);
}

/** One vendor limit broken at a time; each gives 400 InvalidArgument with a message that says what. */
export const breakers: Record<string, { message: RegExp; apply: (document: NativeDocument) => void }> = {
  'no rules': { message: /1 to 10/, apply: (document) => document.rules.splice(0) },
  'eleven rules': {
    message: /1 to 10/,
    apply: (document) => {
      const first = document.rules[0] as NativeRule;
      document.rules = Array.from({ length: 11 }, (_, index) => ({
        ...structuredClone(first),
        id: `rule-${index}`,
        condition: { httpErrorCodeReturnedEquals: 404, objectKeyPrefixEquals: `${index}-` },
      }));
    },
  },
  'a rule id outside the alphabet': {
    message: /id must be 1 to 256/,
    apply: (document) => Object.assign(document.rules[0] as NativeRule, { id: 'img rule!' }),
  },
  'a rule id of 257 characters': {
    message: /id must be 1 to 256/,
    apply: (document) => Object.assign(document.rules[0] as NativeRule, { id: 'a'.repeat(257) }),
  },
  'two rules with one id': {
    message: /unique/,
    apply: (document) => {
      const first = document.rules[0] as NativeRule;
      document.rules = [
        first,
        { ...structuredClone(first), condition: { httpErrorCodeReturnedEquals: 404 } },
      ];
      first.condition = { httpErrorCodeReturnedEquals: 404, objectKeyPrefixEquals: 'a/' };
      (document.rules[1] as NativeRule).condition.objectKeyPrefixEquals = 'b/';
    },
  },
  'a prefix extending another rule prefix': {
    message: /prefixes/,
    apply: (document) => {
      const first = document.rules[0] as NativeRule;
      const prefix = `${(first.condition.objectKeyPrefixEquals as string | undefined) ?? ''}x`;
      const extending = { ...structuredClone(first), id: `${first.id.slice(0, 250)}-other` };
      extending.condition = { ...first.condition, objectKeyPrefixEquals: prefix };
      // In place of the second rule, if any, so the document stays within 10 rules.
      document.rules.splice(1, 1, extending);
    },
  },
  'a prefix of 1024 characters': {
    message: /at most 1023/,
    apply: (document) => {
      (document.rules[0] as NativeRule).condition.objectKeyPrefixEquals = 'p'.repeat(1024);
    },
  },
  'a trigger other than 404': {
    message: /must be 404/,
    apply: (document) => {
      (document.rules[0] as NativeRule).condition.httpErrorCodeReturnedEquals = 403;
    },
  },
  'a class beside an exact code of the class': {
    message: /does not mix/,
    apply: (document) => {
      (document.rules[0] as NativeRule).redirect.retryConditions = ['5XX', '503'];
    },
  },
  '21 retry conditions': {
    message: /at most 20/,
    apply: (document) => {
      (document.rules[0] as NativeRule).redirect.retryConditions = Array.from(
        { length: 21 },
        (_, index) => `${400 + index}`,
      );
    },
  },
  'a retry condition outside 4xx and 5xx': {
    message: /'4XX', '5XX' or a status/,
    apply: (document) => {
      (document.rules[0] as NativeRule).redirect.retryConditions = ['3XX'];
    },
  },
  'a method other than HEAD': {
    message: /must be \["HEAD"\]/,
    apply: (document) => {
      (document.rules[0] as NativeRule).redirect.mirrorAllowHttpMethod = ['PUT'];
    },
  },
  'no agency': {
    message: /agency is required/,
    apply: (document) => {
      delete (document.rules[0] as NativeRule).redirect.agency;
    },
  },
  'no master origin': {
    message: /master must name at least one origin/,
    apply: (document) => {
      const source = (document.rules[0] as NativeRule).redirect.publicSource as { sourceEndpoint: Tree };
      source.sourceEndpoint.master = [];
    },
  },
  'a flag that is not a boolean': {
    message: /passQueryString must be true or false/,
    apply: (document) => {
      (document.rules[0] as NativeRule).redirect.passQueryString = 'yes';
    },
  },
};
