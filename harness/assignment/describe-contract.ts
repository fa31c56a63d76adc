import type { Manifest } from '../../core/manifest.ts';

function describePagination(manifest: Manifest): string {
  const p = manifest.pagination;
  const items = p.itemsField === '.' ? 'a bare array' : `"${p.itemsField}"`;
  const how = (() => {
    switch (p.style) {
      case 'cursor':
        return `cursor (?${p.cursorParam}=, next from ${p.nextFrom === 'body' ? `"${p.nextField}"` : 'the Link header'})`;
      case 'offset':
        return `offset (?${p.offsetParam}=)`;
      case 'page':
        return `page numbers (?${p.pageParam}= from ${p.firstPage})`;
      case 'link':
        return 'Link rel="next" only';
    }
  })();
  const extras = [p.totalField && `total "${p.totalField}"`, p.hasMoreField && `has-more "${p.hasMoreField}"`, p.pageCountField && `page count "${p.pageCountField}"`].filter(Boolean);
  const order = p.order.by.length === 0 ? 'any order' : `(${p.order.by.join(', ')}) ${p.order.direction}`;
  const writes = p.stableUnderWrites ? 'must not skip or repeat under writes' : 'writes during a walk reported as information';
  return `pagination: ${how}, ?${p.limitParam}= (default ${p.defaultLimit}, max ${p.maxLimit}), items in ${items}${extras.length > 0 ? `, ${extras.join(', ')}` : ''}; ${order}; ${writes}`;
}

function describeRateLimit(manifest: Manifest): string {
  const r = manifest.rateLimit;
  const who = r.identity === 'ip' ? 'per client IP' : r.identity === 'header' ? `per ${r.identityHeader}` : `per ${r.identityHeader}, else per client IP`;
  const budget = r.fixed
    ? `fixed in code: ${r.fixed.max} per ${r.fixed.windowMs / 1000} s${r.fixed.windowMs / 1000 > r.maxWaitS ? ` (longer than the ${r.maxWaitS} s wait bound: recovery reads the advertised reset)` : ''}`
    : `from ${r.maxEnv}/${r.windowEnv} (checks use ${r.probe.max} per ${r.probe.windowMs / 1000} s)`;
  const proxy = r.trustProxy ? 'X-Forwarded-For trusted (proxy)' : 'X-Forwarded-For not trusted';
  return `rate limit: ${who}, budget ${budget}; ${proxy}`;
}

function describeItems(manifest: Manifest): string {
  const i = manifest.items;
  const ops = [i.createBody === null ? 'no create' : 'create', i.delete ? 'delete' : 'no delete'].join(', ');
  return `items: ${i.path} (${i.itemPath ?? `${i.path}/{id}`}), ${i.idFormat} ids, ${ops}${i.seeded > 0 ? `, ${i.seeded} present at start` : ''}`;
}

/** What `validate` will check, in the manifest's own terms: the style, the identity, the resource. */
export function describeContract(manifest: Manifest): string[] {
  return [describePagination(manifest), describeRateLimit(manifest), describeItems(manifest)];
}
