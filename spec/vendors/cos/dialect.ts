// Tencent Cloud COS origin-pull rules (PUT, GET and DELETE on the subresource the record names, root `OriginConfiguration`) as
// neutral rules, both ways [cos-put][cos-get][cos-go]. Element names and nesting follow the API pages and
// the Go SDK's bucket_origin.go; where the two disagree both spellings are read and the one read is written
// back. Error codes are COS's own list, https://www.tencentcloud.com/document/product/436/7730 (the same
// table as Tencent's flare COS client, flare/net/cos/cos_status.cc), cited below as [cos-errors].

import { XMLValidator } from 'fast-xml-parser';
import { type Dialect, DialectError } from '../../dialects/dialect.ts';
import { ruleCall } from '../vendor.ts';
import { childrenOf, invalidArgument, type Kids, malformed, refuseOthers, xmlParser } from './elements.ts';
import { parseRule } from './parse.ts';
import { escapeText, extrasByRule, prioritiesOf, renderRule, serialise } from './render.ts';
import { cos } from './vendor.ts';

export const cosDialect: Dialect = {
  id: 'cos',
  title: 'Tencent Cloud COS PUT Bucket origin',
  contentType: 'application/xml',

  parse(body) {
    if (body.trim() === '') {
      throw new DialectError(
        400,
        'MissingRequestBodyError',
        'the body is empty; send an OriginConfiguration document [cos-errors]',
      );
    }
    const wellFormed = XMLValidator.validate(body);
    if (wellFormed !== true) {
      throw malformed(`the body is not well-formed XML: ${wellFormed.err.msg} (line ${wellFormed.err.line})`);
    }
    let tree: Kids;
    try {
      tree = xmlParser.parse(body) as Kids;
    } catch (error) {
      throw malformed(`the body is not well-formed XML: ${error instanceof Error ? error.message : error}`);
    }
    const roots = Object.keys(tree);
    if (roots.length !== 1 || roots[0] !== 'OriginConfiguration' || tree.OriginConfiguration?.length !== 1) {
      throw malformed(
        `the document must have one root element, OriginConfiguration; found ${roots.join(', ')}`,
      );
    }
    const kids = childrenOf(tree.OriginConfiguration[0], 'OriginConfiguration');
    refuseOthers(kids, 'OriginConfiguration', ['OriginRule']);
    const ruleNodes = kids.OriginRule ?? [];
    if (ruleNodes.length === 0)
      throw malformed('OriginConfiguration needs at least one OriginRule [cos-put]');
    const parsed = ruleNodes.map((node, index) => parseRule(node, `OriginRule[${index + 1}]`));
    const seen = new Map<number, number>();
    parsed.forEach(({ priority }, index) => {
      const first = seen.get(priority);
      if (first !== undefined) {
        throw invalidArgument(
          `OriginRule[${index + 1}] and OriginRule[${first + 1}] both have RulePriority ${priority}; give each rule its own priority`,
        );
      }
      seen.set(priority, index);
    });
    // Undocumented which end wins [cos-put][cos-get]: the smaller RulePriority is applied first, as OSS's
    // RuleNumber, and every documented example numbers its only rule 1. A deliberate choice.
    parsed.sort((a, b) => a.priority - b.priority);
    const ruleExtras = Object.fromEntries(
      parsed
        .filter(({ extras }) => Object.keys(extras).length > 0)
        .map(({ rule, extras }) => [rule.id, extras]),
    );
    return {
      configuration: { rules: parsed.map(({ rule }) => rule) },
      extras: Object.keys(ruleExtras).length > 0 ? { rules: ruleExtras } : {},
    };
  },

  render(configuration, extras) {
    const kept = extrasByRule(extras);
    const priorities = prioritiesOf(configuration.rules);
    const rules = configuration.rules.map((rule, index) =>
      renderRule(rule, `rules/${index}`, priorities[index] ?? index + 1, kept.get(rule.id) ?? {}),
    );
    return `<?xml version="1.0" encoding="UTF-8"?>\n${serialise({ name: 'OriginConfiguration', children: rules }, 0)}`;
  },

  errors: {
    noConfiguration: (bucket) =>
      new DialectError(
        404,
        'OriginConfigurationNotFoundError',
        `the bucket ${bucket} has no origin-pull configuration; ${ruleCall('PUT', cos.ruleApi.address)} first [cos-errors]`,
      ),
    invalid: (message) => invalidArgument(message),
  },

  errorBody(error, { requestId, resource }) {
    // COS's error shape [cos-errors]. Its TraceId is a second server-side id; the simulator has only the
    // request id, so it stands for both.
    const field = (name: string, value: string) => `  <${name}>${escapeText(value, true)}</${name}>\n`;
    return {
      contentType: 'application/xml',
      body: `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n${field('Code', error.code)}${field('Message', error.message)}${field('Resource', resource)}${field('RequestId', requestId)}${field('TraceId', requestId)}</Error>\n`,
    };
  },

  // PUT answers 200 with an empty body [cos-put]; DELETE answers 204 No Content
  // (https://www.tencentcloud.com/document/product/436/52812).
  putAnswer: () => ({ status: 200 }),
  deleteAnswer: () => ({ status: 204 }),
};
