import { createHash } from 'node:crypto';
import { assetUrl, type ExplorerAsset, SCRIPTS, STYLES } from './explorerAssets';
import type { ExplorerTab } from './explorerTabs';

/** What the page opens with. */
export interface ExplorerPageDefaults {
  tabs: readonly ExplorerTab[];
  /** Request headers every tab starts with (development: the printed token and case); none in production. */
  headers: Readonly<Record<string, string>>;
  /** Where the page sends operations: the gateway's own endpoint, a path on the page's origin. */
  endpoint: string;
}

/**
 * The explorer's HTML: GraphiQL's files and the bootstrap, all from this origin, and the
 * defaults as a JSON data block (`type="application/json"` is never run as script, so the
 * content-security-policy needs no 'unsafe-inline').
 */
export function renderExplorerPage(assets: ReadonlyMap<string, ExplorerAsset>, defaults: ExplorerPageDefaults): string {
  const headers = Object.keys(defaults.headers).length > 0 ? JSON.stringify(defaults.headers, null, 2) : undefined;
  const tabs = defaults.tabs.map((tab) => ({
    query: tab.query,
    ...(tab.variables ? { variables: JSON.stringify(tab.variables, null, 2) } : {}),
    ...(headers ? { headers } : {}),
  }));
  const data = {
    endpoint: defaults.endpoint,
    tabs,
    persistHeaders: headers !== undefined,
    storageKey: createHash('sha256').update(JSON.stringify(tabs)).digest('hex').slice(0, 16),
  };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Court Asset Graph explorer</title>
${STYLES.map((name) => `<link rel="stylesheet" href="${assetUrl(assets, name)}">`).join('\n')}
</head>
<body>
<div id="explorer">Loading the explorer…</div>
<script type="application/json" id="explorer-defaults">${jsonForScriptElement(data)}</script>
${SCRIPTS.map((name) => `<script src="${assetUrl(assets, name)}"></script>`).join('\n')}
</body>
</html>
`;
}

/** JSON that cannot end its `<script>` element or open another (`</script>`, `<!--`): `<`, `>`, `&` and the line separators escaped. */
function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
