'use strict';
// Reads a V8 .cpuprofile (node --cpu-prof) and attributes the samples of a time window (the
// measured load, start-up and warm-up excluded) to the stack's layers: self time by the frame's
// package (a V8 builtin or native call is charged to the nearest JS caller's package), and
// inclusive time as the share of samples with a layer anywhere on the stack.
const fs = require('node:fs');

const CATEGORIES = [
  [/node_modules\/(class-validator|class-transformer|validator|libphonenumber-js)\//, 'class-validator / class-transformer'],
  [/node_modules\/@nestjs\/microservices\//, 'Nest microservices (gRPC server glue)'],
  [/node_modules\/@nestjs\/(core|common)\//, 'Nest core (router, pipes, guards, interceptors, filters)'],
  [/node_modules\/@nestjs\/platform-express\/|node_modules\/(express|router|body-parser|raw-body|finalhandler|send|serve-static|path-to-regexp|type-is|accepts|content-type|etag|fresh|on-finished|mime-types|media-typer|negotiator|qs|iconv-lite|depd|statuses|http-errors|parseurl|encodeurl|escape-html|proxy-addr|forwarded|range-parser|vary|cookie|merge-descriptors|utils-merge|setprototypeof|ee-first|unpipe|destroy|bytes|safe-buffer|content-disposition)\//, 'Express (+ body-parser, etag, …)'],
  [/node_modules\/rxjs\//, 'rxjs'],
  [/node_modules\/@prisma\/client\/runtime\/query_compiler/, 'Prisma query compiler (JS glue)'],
  [/libs\/database\/src\/generated\/|node_modules\/@prisma\/client\//, 'Prisma client runtime (JS)'],
  [/node_modules\/@prisma\/(adapter-|driver-adapter-utils)/, 'Prisma driver adapter'],
  [/node_modules\/better-sqlite3\//, 'better-sqlite3 (SQLite)'],
  [/node_modules\/(pg|pg-protocol|pg-types|pg-pool|pg-connection-string|postgres-[a-z]+|pgpass|pg-int8)\//, 'pg (PostgreSQL driver)'],
  [/node_modules\/(pino|pino-std-serializers|sonic-boom|fast-redact|@pinojs\/redact|pino-http|nestjs-pino|thread-stream|on-exit-leak-free|atomic-sleep|quick-format-unescaped|fast-safe-stringify|safe-stable-stringify)\//, 'pino logging'],
  [/libs\/common\/src\/logging\//, 'log redaction / scrub (project)'],
  [/node_modules\/undici\//, 'undici (outbound HTTP)'],
  [/node_modules\/opossum\//, 'opossum (circuit breaker)'],
  [/node_modules\/(@grpc\/grpc-js|@grpc\/proto-loader|protobufjs|@protobufjs\/[a-z-]+|long)\//, 'grpc-js + protobufjs'],
  [/node_modules\/(prom-client|@willsoto)\//, 'prom-client (metrics)'],
  [/node_modules\/reflect-metadata\//, 'reflect-metadata'],
  [/libs\/customer\/src\//, 'service code: libs/customer'],
  [/libs\/connectors\/src\//, 'service code: libs/connectors'],
  [/libs\/common\/src\//, 'service code: libs/common'],
  [/libs\/database\/src\//, 'service code: libs/database'],
  [/apps\/connector-service\//, 'service code: apps/connector-service'],
  [/node_modules\/(@[^/]+\/[^/]+|[^/@][^/]*)\//, (m) => `other package: ${m[1]}`],
  [/^node:(internal\/)?(http|_http|net|stream|streams|internal\/streams|tls|dns|url|buffer|timers|events|async_hooks|crypto|zlib|http2|perf_hooks|util|fs|diagnostics_channel)/, (m) => `Node core: ${m[2].replace(/^_/, '')}`],
  [/^node:/, 'Node core: other'],
];

function categoryOf(url) {
  if (!url) return undefined;
  for (const [re, name] of CATEGORIES) {
    const m = re.exec(url);
    if (m) return typeof name === 'function' ? name(m) : name;
  }
  return 'other JS';
}

const SPECIAL = { '(garbage collector)': 'GC', '(program)': '(program: native, not attributed)', '(idle)': '(idle)', '(root)': '(root)' };

/** Analyze `file` over [fromUs, toUs] (CLOCK_MONOTONIC µs, as process.hrtime). */
function analyze(file, { fromUs = -Infinity, toUs = Infinity, watch = {} } = {}) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map();
  // For each node: self category, stack categories (set), function label.
  const infoOf = (id) => {
    let info = memo.get(id);
    if (info) return info;
    const node = nodes.get(id);
    const fn = node.callFrame.functionName || '(anonymous)';
    const url = node.callFrame.url.replace(/^file:\/\//, '');
    const special = SPECIAL[fn] && !url ? SPECIAL[fn] : undefined;
    const wasm = url.startsWith('wasm://');
    const up = parent.has(id) ? infoOf(parent.get(id)) : undefined;
    // WebAssembly (Prisma's query compiler, undici's llhttp) is named after the JS that calls it.
    const wasmName = () => (/WASM/.test(up?.nearest ?? '') ? up.nearest : up?.nearest?.startsWith('Prisma') ? 'Prisma query compiler (WASM)' : `${up?.nearest ?? 'unknown'} [WASM]`);
    const own = special ?? (wasm ? wasmName() : categoryOf(url));
    const stack = new Set(up?.stack ?? []);
    if (own && !special) stack.add(own);
    const self = special ?? own ?? up?.nearest ?? 'V8 builtins / native (no JS caller)';
    const short = url.replace(/^.*\/node_modules\//, '').replace(/^.*\/bench\/results\/raw\/dist\//, 'dist/').replace(/^\/work\/main\//, '');
    const watched = new Set(up?.watched ?? []);
    for (const [name, re] of Object.entries(watch)) if (re.test(`${fn} ${url}`)) watched.add(name);
    info = { self, nearest: own && !special ? own : up?.nearest, stack, watched, label: `${fn} ${short ? `(${short}:${node.callFrame.lineNumber + 1})` : '(native)'}`, fnKey: `${fn}@${short}:${node.callFrame.lineNumber + 1}` };
    memo.set(id, info);
    return info;
  };

  const selfByCategory = new Map();
  const inclByCategory = new Map();
  const selfByFunction = new Map();
  const inclByFunction = new Map();
  const inclByWatch = new Map(Object.keys(watch).map((k) => [k, 0]));
  let t = profile.startTime;
  let busy = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    t += profile.timeDeltas[i];
    if (t < fromUs || t > toUs) continue;
    const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i];
    const info = infoOf(profile.samples[i]);
    if (info.self === '(idle)') {
      idle += dt;
      continue;
    }
    busy += dt;
    selfByCategory.set(info.self, (selfByCategory.get(info.self) ?? 0) + dt);
    for (const c of info.stack) inclByCategory.set(c, (inclByCategory.get(c) ?? 0) + dt);
    for (const w of info.watched) inclByWatch.set(w, inclByWatch.get(w) + dt);
    selfByFunction.set(info.label, (selfByFunction.get(info.label) ?? 0) + dt);
    // inclusive per function: every distinct function on the stack once
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const fi = infoOf(id);
      if (seen.has(fi.label)) continue;
      seen.add(fi.label);
      inclByFunction.set(fi.label, (inclByFunction.get(fi.label) ?? 0) + dt);
    }
  }
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { busyUs: busy, idleUs: idle, selfByCategory: sorted(selfByCategory), inclByCategory: sorted(inclByCategory), selfByFunction: sorted(selfByFunction), inclByFunction: sorted(inclByFunction), inclByWatch: sorted(inclByWatch) };
}

/** Markdown of one analysis; `requests` answered in the window gives µs per request. */
function toMarkdown(title, a, requests, { topSelf = 30, topIncl = 40 } = {}) {
  const pct = (us) => `${((us / a.busyUs) * 100).toFixed(1)} %`;
  const perReq = (us) => (requests ? `${Math.round(us / requests)}` : '–');
  const lines = [`### ${title}`, ''];
  lines.push(
    `Window: ${(a.busyUs / 1e6).toFixed(2)} s busy, ${(a.idleUs / 1e6).toFixed(2)} s idle; ${requests} requests answered → ${perReq(a.busyUs)} µs of main-thread CPU per request.`,
    '',
    '| layer (self time; builtins charged to the JS caller) | share | µs/req |',
    '|---|---:|---:|',
  );
  for (const [k, v] of a.selfByCategory) if (v / a.busyUs >= 0.003) lines.push(`| ${k} | ${pct(v)} | ${perReq(v)} |`);
  lines.push('', '| layer anywhere on the stack (inclusive) | share | µs/req |', '|---|---:|---:|');
  for (const [k, v] of a.inclByCategory) if (v / a.busyUs >= 0.01 && !k.startsWith('Node core')) lines.push(`| ${k} | ${pct(v)} | ${perReq(v)} |`);
  if (a.inclByWatch?.length) {
    lines.push('', '| specific code paths (inclusive: on the stack) | share | µs/req |', '|---|---:|---:|');
    for (const [k, v] of a.inclByWatch) lines.push(`| ${k} | ${pct(v)} | ${perReq(v)} |`);
  }
  lines.push('', `Top ${topSelf} functions by self time:`, '', '| function | self | µs/req |', '|---|---:|---:|');
  for (const [k, v] of a.selfByFunction.slice(0, topSelf)) lines.push(`| \`${k.replace(/\|/g, '\\|')}\` | ${pct(v)} | ${perReq(v)} |`);
  lines.push('', `Top ${topIncl} functions by total (inclusive) time:`, '', '| function | total | µs/req |', '|---|---:|---:|');
  for (const [k, v] of a.inclByFunction.slice(0, topIncl)) lines.push(`| \`${k.replace(/\|/g, '\\|')}\` | ${pct(v)} | ${perReq(v)} |`);
  lines.push('');
  return lines.join('\n');
}

const GROUPS = [
  ['Prisma: query compiler (WASM + glue), client runtime, driver adapter, DB driver', (c) => /^Prisma|^better-sqlite3|^pg \(|@prisma\//.test(c)],
  ['HTTP server: Express, body-parser, Node http/net/stream', (c) => /^Express|^Node core: (http|net|stream)/.test(c)],
  ['gRPC server: grpc-js, protobufjs, Nest microservices', (c) => /^grpc-js|^Nest microservices|@grpc\//.test(c)],
  ['Nest core + rxjs (routing, pipes, interceptors, filters)', (c) => /^Nest core|^rxjs/.test(c)],
  ['validation: class-validator, class-transformer', (c) => /^class-validator/.test(c)],
  ['logging: pino, pino-http, scrub hook', (c) => /^pino|^log redaction/.test(c)],
  ['outbound: undici (+ llhttp WASM), opossum', (c) => /^undici|^opossum/.test(c)],
  ['service code (apps/, libs/)', (c) => /^service code/.test(c)],
  ['Node: crypto, async_hooks, timers, buffer, events, url, …', (c) => /^Node core/.test(c)],
  ['GC', (c) => c === 'GC'],
  ['other (metrics, reflect-metadata, V8 natives, …)', () => true],
];

/** One table, workloads as columns: µs of main-thread time per request by layer (self time). */
function groupedTable(runs) {
  const head = `| layer (self time, µs per request) | ${runs.map((r) => r.name).join(' | ')} |`;
  const lines = [head, `|---|${runs.map(() => '---:').join('|')}|`];
  const cell = (r, us) => `${Math.round(us / r.count).toLocaleString('en')} (${((us / r.busyUs) * 100).toFixed(0)} %)`;
  const sums = runs.map((r) => {
    const m = new Map(GROUPS.map(([g]) => [g, 0]));
    for (const [cat, us] of r.selfByCategory) {
      if (cat === '(idle)') continue;
      const [g] = GROUPS.find(([, test]) => test(cat));
      m.set(g, m.get(g) + us);
    }
    return m;
  });
  for (const [g] of GROUPS) lines.push(`| ${g} | ${runs.map((r, k) => cell(r, sums[k].get(g))).join(' | ')} |`);
  lines.push(`| **total** | ${runs.map((r) => `**${Math.round(r.busyUs / r.count).toLocaleString('en')}**`).join(' | ')} |`);
  lines.push(`| req/s while profiled (c=16) | ${runs.map((r) => Math.round(r.rps)).join(' | ')} |`);
  return lines.join('\n');
}

/** Code paths worth a figure of their own in bench/PROFILE.md (matched on "function url"). */
const WATCH = {
  'Prisma: query compilation (QueryCompiler.compile, WASM)': /^compile .*query_compiler_bg/,
  'Prisma: plan interpretation (interpretNode)': /^interpretNode .*@prisma\/client/,
  'better-sqlite3 adapter: prepare + run (performIO / executeIO)': /^(performIO|executeIO) .*adapter-better-sqlite3/,
  'pg adapter + driver (queryRaw / performIO in adapter-pg)': /^(performIO|queryRaw|executeRaw) .*adapter-pg/,
  'validation pipe (RequestValidationPipe.transform)': /^transform .*common\/src\/validation\/validation\.js/,
  'validation pipe: forbidden-key walk (findForbiddenKey)': /^findForbiddenKey /,
  'class-transformer plainToInstance': /^plainToInstance |^plainToClass /,
  'class-validator validate': /^(validate|validateOrReject) .*class-validator/,
  'body-parser json': /^jsonParser .*body-parser/,
  'Express res.json / res.send (etag, headers)': /^(json|send) .*express\/lib\/response\.js/,
  'etag generation': /^(etag|entitytag) /,
  'pino: log call (LOG.info/warn/…)': /^LOG .*pino\/lib\/tools/,
  'pino-http middleware': /pino-http/,
  'log scrub hook (scrubText)': /^scrubText /,
  'HMAC (createHmac / Hmac)': /^(createHmac|Hmac) /,
  'opossum CircuitBreaker.fire / call': /^(fire|call) .*opossum/,
  'undici request (dispatch + response)': /^request .*undici\/lib\/api\/api-request/,
  'prom-client (metrics)': /prom-client/,
  'AsyncLocalStorage.run': /^run .*async_local_storage|^run node:async_hooks/,
  'grpc-js server: handleUnary': /^handleUnary .*grpc-js/,
  'protobufjs encode/decode': /protobufjs.*(encode|decode)|^(encode|decode) .*protobufjs/,
};

module.exports = { analyze, toMarkdown, categoryOf, WATCH, groupedTable };
