// Alibaba Cloud OSS: mirror rules are the RoutingRules of a bucket's static-website configuration, written
// with PutBucketWebsite (on the subresource the record names), read with GetBucketWebsite and removed with DeleteBucketWebsite
// [oss-put][oss-go2]. Element names and limits follow the API reference and the SDK models [oss-go2]
// [oss-php2][oss-tf]; what the neutral model cannot carry is refused by name, never dropped.

import { type Dialect, DialectError } from '../../dialects/dialect.ts';
import { ruleCall } from '../vendor.ts';
import {
  Element,
  invalidArgument,
  MAX_RULES,
  malformed,
  readWebsiteConfiguration,
  readWebsiteSettings,
  WEBSITE_SETTINGS,
  websiteSettingsOf,
  XML_DECLARATION,
} from './elements.ts';
import { parseRule } from './parse.ts';
import { builder, cannotExpress, renderRule, ruleNumbers } from './render.ts';
import { oss } from './vendor.ts';

// ---------------------------------------------------------------------------------------------------

export const ossDialect: Dialect = {
  id: 'oss',
  title: 'Alibaba Cloud OSS PutBucketWebsite',
  contentType: 'application/xml',

  parse(body) {
    const website = readWebsiteConfiguration(body);
    website.allow(['RoutingRules', ...Object.keys(WEBSITE_SETTINGS)]);
    const extras = readWebsiteSettings(website);
    // OSS wants at least one of IndexDocument, ErrorDocument and RoutingRules [oss-put][oss-go2].
    const routingRules = website.child('RoutingRules');
    if (routingRules === undefined) {
      if (Object.keys(extras).length === 0) {
        throw malformed('WebsiteConfiguration needs a RoutingRules, IndexDocument or ErrorDocument element');
      }
      return { configuration: { rules: [] }, extras };
    }
    routingRules.allow(['RoutingRule']);
    const nodes = routingRules.all('RoutingRule');
    if (nodes.length > MAX_RULES) {
      throw invalidArgument(
        `RoutingRules: at most ${MAX_RULES} RoutingRule are allowed, got ${nodes.length}`,
      );
    }
    const rules = nodes.map((node, index) =>
      parseRule(Element.of(node, `RoutingRules/RoutingRule[${index + 1}]`)),
    );
    const numbers = rules.map(({ number }) => number);
    const repeated = numbers.find((number, index) => numbers.indexOf(number) !== index);
    if (repeated !== undefined) {
      throw invalidArgument(`RoutingRules: RuleNumber ${repeated} is used by more than one RoutingRule`);
    }
    // Rules are tried in RuleNumber order, first match only [oss-put][oss-guide].
    rules.sort((a, b) => a.number - b.number);
    return { configuration: { rules: rules.map(({ rule }) => rule) }, extras };
  },

  // The extras are the static-website settings, written back as they came.
  render(configuration, extras) {
    const { rules } = configuration;
    if (rules.length > MAX_RULES) {
      throw cannotExpress('rules', `OSS takes at most ${MAX_RULES} RoutingRule`);
    }
    const numbers = ruleNumbers(rules.map(({ id }) => id));
    const routingRule = rules.map((rule, index) => renderRule(rule, index, numbers[index] ?? index + 1));
    const xml = builder.build({
      WebsiteConfiguration: { ...websiteSettingsOf(extras), RoutingRules: { RoutingRule: routingRule } },
    }) as string;
    // The builder leaves CR as is, which an XML reader turns into LF; the reference keeps it.
    return XML_DECLARATION + xml.replaceAll('\r', '&#13;');
  },

  errors: {
    // GetBucketWebsite on a bucket without a website configuration [oss-get-zh-old].
    noConfiguration: (bucket) =>
      new DialectError(
        404,
        'NoSuchWebsiteConfiguration',
        `The bucket '${bucket}' has no website configuration; ${ruleCall('PUT', oss.ruleApi.address)} with RoutingRules to add mirror rules.`,
      ),
    // OSS answers a bad value in a PutBucketWebsite body with InvalidArgument
    // (https://help.aliyun.com/en/oss/user-guide/0019-00000002).
    invalid: (message) => invalidArgument(message),
  },

  // The OSS error body: Code, Message, RequestId, HostId
  // (https://www.alibabacloud.com/help/en/object-storage-service/latest/oss-error-response). The context
  // names the resource, not the Host the request was sent to, so HostId carries the resource.
  errorBody(error, { requestId, resource }) {
    const body = builder.build({
      Error: { Code: error.code, Message: error.message, RequestId: requestId, HostId: resource },
    }) as string;
    return { contentType: 'application/xml', body: XML_DECLARATION + body };
  },

  // PutBucketWebsite answers 200 [oss-put]; DeleteBucketWebsite 204
  // (https://www.alibabacloud.com/help/en/oss/developer-reference/deletebucketwebsite).
  putAnswer: () => ({ status: 200 }),
  deleteAnswer: () => ({ status: 204 }),
};
