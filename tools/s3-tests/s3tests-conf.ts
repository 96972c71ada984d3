// The s3tests.conf ceph/s3-tests reads (its s3tests.conf.SAMPLE): the endpoint and three users, main,
// alt and tenant. The IAM sections are read at start-up by every run; the selection calls no IAM API, so
// they carry the main user's keys.

export interface S3TestsUser {
  accessKeyId: string;
  secretAccessKey: string;
  /** The canonical user id the server gives the user (the Owner ID of its buckets). */
  userId: string;
  displayName: string;
  email: string;
}

export interface S3TestsConf {
  host: string;
  port: number;
  main: S3TestsUser;
  alt: S3TestsUser;
  tenant: S3TestsUser & { tenant: string };
}

export function renderConf(conf: S3TestsConf): string {
  const user = (name: string, who: S3TestsUser, extra: string[] = []) => [
    `[${name}]`,
    `display_name = ${who.displayName}`,
    `user_id = ${who.userId}`,
    `email = ${who.email}`,
    `access_key = ${who.accessKeyId}`,
    `secret_key = ${who.secretAccessKey}`,
    ...extra,
    '',
  ];
  return [
    '[DEFAULT]',
    `host = ${conf.host}`,
    `port = ${conf.port}`,
    'is_secure = False',
    'ssl_verify = False',
    '',
    '[fixtures]',
    'bucket prefix = s3t-{random}-',
    '',
    ...user('s3 main', conf.main, ['api_name = default']),
    ...user('s3 alt', conf.alt),
    ...user('s3 tenant', conf.tenant, [`tenant = ${conf.tenant.tenant}`]),
    ...user('iam', conf.main),
    ...user('iam root', conf.main),
    ...user('iam alt root', conf.main),
  ].join('\n');
}
