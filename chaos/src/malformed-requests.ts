import fc from 'fast-check';

/** One malformed request: the bytes to write to a raw socket, and what kind of malformation it is. */
export type MalformedRequest = { kind: string; bytes: Buffer };

/** What a service takes: its routes, and request bodies of roughly the right shape to mangle. */
export type BlastTarget = { paths: readonly string[]; body: fc.Arbitrary<unknown> };

type Header = readonly [string, string];

/** An HTTP/1.1 request as bytes; `length` overrides (or, null, omits) the computed Content-Length. */
export function httpRequest(
  method: string,
  path: string,
  headers: readonly Header[],
  body: Uint8Array | string = '',
  length?: string | null,
): Buffer {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headers.map(([k, v]) => `${k}: ${v}`)];
  if (length !== null) lines.push(`Content-Length: ${length ?? payload.byteLength}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
}

const JSON_TYPE: Header = ['Content-Type', 'application/json'];
const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '__defineGetter__',
);
const hugeNumber = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '9e999999',
  '1e-400',
  '-0',
  '123456789012345678901234567890',
  '9007199254740993',
  '0x10',
  '01',
  '.5',
  '+1',
);

/**
 * Every kind of malformed request, as a fast-check arbitrary over raw bytes: random bytes, broken request lines
 * and headers, headers past Node's 16 KiB limit, wrong content types, deeply nested JSON, prototype-pollution keys,
 * NaN / Infinity / huge numbers, invalid UTF-8, and bodies whose size disagrees with their headers.
 */
export function malformedRequest(
  target: BlastTarget,
  extraHeaders: fc.Arbitrary<Header[]>,
): fc.Arbitrary<MalformedRequest> {
  const path = fc.constantFrom(...target.paths);
  const json = target.body.map((value) => JSON.stringify(value) ?? 'null');
  const as = (kind: string) => (bytes: Buffer) => ({ kind, bytes });

  const randomBytes = fc.uint8Array({ minLength: 1, maxLength: 4096 }).map((b) => as('random bytes')(Buffer.from(b)));
  const requestLine = fc
    .tuple(
      fc.constantFrom('BREW', 'G ET', 'GET\u0000', '', 'PRI', 'POST', 'CONNECT', 'post', 'TRACE'),
      fc.oneof(path, fc.constantFrom('*', 'http://169.254.169.254/', '//evil.example/x', '/../../etc/passwd', '/%00')),
      fc.constantFrom('HTTP/1.1', 'HTTP/9.9', 'HTTP/1', 'hTtP/1.1', '', 'HTTP/2.0'),
      json,
    )
    .map(([method, p, version, body]) =>
      as('broken request line')(Buffer.from(`${method} ${p} ${version}\r\nHost: x\r\n\r\n${body}`, 'latin1')),
    );
  const badHeader = fc
    .tuple(
      path,
      fc.constantFrom<Header>(
        ['Bad Name', 'x'],
        ['X-Ctl', 'a\u0000b'],
        ['X-Cr', 'a\rb'],
        ['', 'empty name'],
        ['X-Fold', 'a\r\n  folded'],
        ['Content-Type', 'application/json\u0007'],
        ['X-Request-Timeout-Ms', '-1'],
        ['X-Request-Timeout-Ms', '1e309'],
        ['X-Request-Timeout-Ms', '99999999999999999999'],
        ['Inference-Header-Content-Length', '-5'],
        ['Inference-Header-Content-Length', '1e20'],
        ['Authorization', 'Bearer \u00ff\u00fe'],
        ['X-Request-Id', '../../etc/passwd\u00e9'],
        ['traceparent', '00-zz-zz-01'],
      ),
      json,
    )
    .map(([p, header, body]) => as('malformed header')(httpRequest('POST', p, [JSON_TYPE, header], body)));
  const hugeHeaders = fc
    .tuple(path, fc.integer({ min: 17, max: 96 }), fc.boolean(), json)
    .map(([p, kib, one, body]) => {
      const headers: Header[] = one
        ? [['X-Huge', 'a'.repeat(kib * 1024)]]
        : Array.from({ length: kib * 8 }, (_, i): Header => [`X-Many-${i}`, 'b'.repeat(120)]);
      return as('headers past 16 KiB')(httpRequest('POST', p, [JSON_TYPE, ...headers], body));
    });
  const hugeUrl = fc
    .tuple(path, fc.integer({ min: 17, max: 64 }))
    .map(([p, kib]) => as('URL past 16 KiB')(httpRequest('GET', `${p}?q=${'x'.repeat(kib * 1024)}`, [])));
  const contentType = fc
    .tuple(
      path,
      fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'application/json5',
        'application/jsonx',
        'application/json; charset=utf-16',
        'application/octet-stream',
        '*/*',
      ),
      json,
    )
    .map(([p, type, body]) => as('wrong content type')(httpRequest('POST', p, [['Content-Type', type]], body)));
  const deepNesting = fc
    .tuple(path, fc.integer({ min: 1_000, max: 120_000 }), fc.constantFrom('[', '{"a":'))
    .map(([p, depth, open]) => {
      const close = open === '[' ? ']' : '}';
      const body = `{"entityId":"u-1","inputs":${open.repeat(depth)}1${close.repeat(depth)}}`;
      return as('deep nesting')(httpRequest('POST', p, [JSON_TYPE], body));
    });
  const pollution = fc
    .tuple(path, hostileKey, json)
    .map(([p, key, body]) =>
      as('prototype-pollution keys')(
        httpRequest(
          'POST',
          p,
          [JSON_TYPE],
          body.startsWith('{')
            ? `{"${key}":{"polluted":true,"__proto__":{"polluted":true}},${body.slice(1)}`
            : `{"${key}":{"polluted":true}}`,
        ),
      ),
    );
  const numbers = fc
    .tuple(path, hugeNumber, fc.constantFrom('topK', 'entityIds', 'shape', 'data', 'binary_data_size', 'timeout'))
    .map(([p, number, field]) =>
      as('NaN, Infinity, huge numbers')(
        httpRequest(
          'POST',
          p,
          [JSON_TYPE],
          `{"entityId":"u-music-1","${field}":${number},"inputs":[{"name":"features","shape":[${number},64],"datatype":"FP32","data":[${number}],"parameters":{"binary_data_size":${number}}}],"parameters":{"timeout":${number}}}`,
        ),
      ),
    );
  const invalidUtf8 = fc
    .tuple(path, fc.uint8Array({ minLength: 1, maxLength: 8 }))
    .map(([p, bytes]) =>
      as('invalid UTF-8')(
        httpRequest(
          'POST',
          p,
          [JSON_TYPE],
          Buffer.concat([Buffer.from('{"entityId":"u-'), Buffer.from([0xc3, 0x28, 0xff, ...bytes]), Buffer.from('"}')]),
        ),
      ),
    );
  const lyingLength = fc
    .tuple(
      path,
      fc.uint8Array({ minLength: 0, maxLength: 2048 }),
      fc.constantFrom('more', 'less', 'abc', '-1', '1e3', ' 12', '0x10', 'dup', 'chunked', 'bad-chunk', 'gzip'),
      fc.constantFrom('application/json', 'application/octet-stream'),
      fc.integer({ min: -10, max: 5_000 }),
    )
    .map(([p, body, lie, type, headerLength]) => {
      const headers: Header[] = [
        ['Content-Type', type],
        ['Inference-Header-Content-Length', String(headerLength)],
      ];
      const length = body.byteLength;
      if (lie === 'more')
        return as('size disagrees with headers')(
          httpRequest('POST', p, headers, body, String(length + 1 + (length >> 1))),
        );
      if (lie === 'less')
        return as('size disagrees with headers')(httpRequest('POST', p, headers, body, String(length >> 1)));
      if (lie === 'dup')
        return as('size disagrees with headers')(
          httpRequest('POST', p, [...headers, ['Content-Length', String(length + 7)]], body),
        );
      if (lie === 'chunked' || lie === 'gzip') {
        const encoding: Header = ['Transfer-Encoding', lie];
        return as('size disagrees with headers')(httpRequest('POST', p, [...headers, encoding], body));
      }
      if (lie === 'bad-chunk') {
        const chunked = Buffer.concat([
          Buffer.from(`zz${length.toString(16)}\r\n`),
          body,
          Buffer.from('\r\n0\r\n\r\n'),
        ]);
        return as('size disagrees with headers')(
          httpRequest('POST', p, [...headers, ['Transfer-Encoding', 'chunked']], chunked, null),
        );
      }
      return as('size disagrees with headers')(httpRequest('POST', p, headers, body, lie));
    });
  const fuzzedJson = fc
    .tuple(
      path,
      fc.oneof(
        json,
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
      ),
      extraHeaders,
    )
    .map(([p, body, headers]) => as('fuzzed JSON and headers')(httpRequest('POST', p, [JSON_TYPE, ...headers], body)));

  return fc.oneof(
    randomBytes,
    requestLine,
    badHeader,
    hugeHeaders,
    hugeUrl,
    contentType,
    deepNesting,
    pollution,
    numbers,
    invalidUtf8,
    lyingLength,
    fuzzedJson,
  );
}
