/**
 * A workspace is a catalog file path or a PostgreSQL connection URL (`postgres://` or
 * `postgresql://`). Everything that prints a workspace prints {@link redactUrl} of it: the
 * password never reaches a log, an error, `info` output or the catalog.
 */
export const isPostgresUrl = (workspace: string): boolean => /^postgres(?:ql)?:\/\//i.test(workspace.trim());

const PASSWORD_PARAMS = ['password', 'sslpassword'];
/** `scheme://user:password@` (the userinfo may be percent-encoded; a password holds no `@`). */
const USERINFO = /^(\s*[a-z]+:\/\/[^:@/?#]*):([^@/?#]*)@/i;
const PARAM = new RegExp(`([?&](?:${PASSWORD_PARAMS.join('|')})=)([^&#]*)`, 'gi');

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * The URL with its password (userinfo and `password=` parameters) replaced by `***`. Works on the
 * text, not a URL parser: libpq URLs such as `postgresql://ann:pw@/db?host=/run/sock` have an empty
 * host, which WHATWG URL parsing rejects.
 */
export const redactUrl = (workspace: string): string =>
  isPostgresUrl(workspace) ? workspace.replace(USERINFO, '$1:***@').replace(PARAM, '$1***') : workspace;

/** Every secret a URL carries (its password as written and decoded; password parameters). */
export const urlSecrets = (workspace: string): string[] => {
  if (!isPostgresUrl(workspace)) return [];
  const raw = [USERINFO.exec(workspace)?.[2] ?? '', ...[...workspace.matchAll(PARAM)].map((m) => m[2] ?? '')];
  return [...new Set(raw.flatMap((s) => [s, decode(s)]).filter((s) => s.length > 0 && s !== '***'))];
};

/** `text` with every secret of `workspace` (and the whole URL) replaced by its redacted form. */
export const redactSecrets = (text: string, workspace: string): string => {
  let out = text.split(workspace).join(redactUrl(workspace));
  for (const secret of urlSecrets(workspace)) out = out.split(secret).join('***');
  return out;
};
