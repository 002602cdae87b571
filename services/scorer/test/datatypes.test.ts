import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBytesElements, modelMetadataSchema, tensorArrayType, type Datatype } from '@splitserve/contracts';
import { ECHO_DATATYPES, makeEchoRepository } from './fixtures/echo-model.ts';
import { inferBinary, inferJson } from './oip-client.ts';
import { startScorer, type RunningScorer } from './scorer-process.ts';

let scorer: RunningScorer;
before(async () => {
  scorer = await startScorer({ env: { MODEL_REPOSITORY: await makeEchoRepository() } });
});
after(() => scorer.stop());

/** Two rows of three edge-case values per datatype, as JSON would carry them. */
function sample(datatype: Datatype, seed: number): unknown[] {
  const pick = <T>(values: T[]) => values.map((_, i) => values[(i + seed) % values.length]!);
  switch (datatype) {
    case 'BOOL':
      return pick([true, false, true, false, false, true]);
    case 'UINT8':
      return pick([0, 1, 255, 7, 128, 64]);
    case 'UINT16':
      return pick([0, 65_535, 1, 300, 40_000, 2]);
    case 'UINT32':
      return pick([0, 4_294_967_295, 1, 70_000, 3, 9]);
    case 'UINT64':
      return pick([0, Number.MAX_SAFE_INTEGER, 1, 2 ** 40, 5, 6]);
    case 'INT8':
      return pick([-128, 127, 0, -1, 5, 6]);
    case 'INT16':
      return pick([-32_768, 32_767, 0, -1, 5, 6]);
    case 'INT32':
      return pick([-2_147_483_648, 2_147_483_647, 0, -1, 5, 6]);
    case 'INT64':
      return pick([-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 0, -(2 ** 40), 5, 6]);
    case 'FP16':
      return pick([0.5, -2, 65_504, 0, 1.5, -0.25]);
    case 'FP32':
      return pick([0.1, -3.5, 1e30, 0, 2.25, -1e-3]).map(Math.fround);
    case 'FP64':
      return pick([0.1, -3.5, 1e300, 0, 2.25, -1e-3]);
    case 'BYTES':
      return pick(['a', '', 'héllo wörld', 'x', '{"json": true}', 'z']);
  }
}

function binaryOf(datatype: Datatype, values: unknown[]): Uint8Array {
  if (datatype === 'BYTES') return encodeBytesElements(values.map((v) => new TextEncoder().encode(v as string)));
  if (datatype === 'FP16') return new Uint8Array(new Float16Array(values as number[]).buffer);
  const ArrayType = tensorArrayType(datatype) as unknown as { from(values: unknown[]): { buffer: ArrayBuffer } };
  const converted = values.map((v) =>
    typeof v === 'boolean' ? Number(v) : datatype.endsWith('INT64') ? BigInt(v as number) : v,
  );
  return new Uint8Array(ArrayType.from(converted).buffer);
}

const allInputs = (seed: number) =>
  ECHO_DATATYPES.map(([datatype]) => ({
    name: `in_${datatype}`,
    shape: [2, 3],
    datatype,
    data: sample(datatype, seed),
  }));

test('every datatype round-trips through JSON', async () => {
  const { status, body } = await inferJson(`${scorer.url}`, 'echo/versions/1', { inputs: allInputs(0) });
  assert.equal(status, 200, JSON.stringify(body));
  const outputs = body['outputs'] as { name: string; datatype: string; shape: number[]; data: unknown[] }[];
  for (const [datatype] of ECHO_DATATYPES) {
    const output = outputs.find((o) => o.name === `out_${datatype}`)!;
    assert.equal(output.datatype, datatype);
    assert.deepEqual(output.shape, [2, 3]);
    assert.deepEqual(output.data, sample(datatype, 0), datatype);
  }
});

test('every datatype round-trips through binary tensors, in and out', async () => {
  const inputs = allInputs(1);
  const { status, body } = await inferBinary(
    scorer.url,
    'echo/versions/1',
    {
      inputs: inputs.map(({ name, shape, datatype }) => ({ name, shape, datatype })),
      parameters: { binary_data_output: true },
    },
    inputs.map((input) => binaryOf(input.datatype, input.data)),
  );
  assert.equal(status, 200, JSON.stringify(body));
  for (const [datatype] of ECHO_DATATYPES) {
    const output = body.outputs.find((o) => o.name === `out_${datatype}`)!;
    assert.equal(output.parameters?.['binary_data_size'], binaryOf(datatype, sample(datatype, 1)).byteLength);
    assert.deepEqual(output.data, sample(datatype, 1), datatype);
  }
});

test('concurrent requests of every datatype batch together and come back unmixed', async () => {
  const seeds = [0, 1, 2, 3, 4, 5, 6, 7];
  const answers = await Promise.all(
    seeds.map((seed) => inferJson(scorer.url, 'echo/versions/1', { inputs: allInputs(seed) })),
  );
  answers.forEach((answer, seed) => {
    assert.equal(answer.status, 200);
    for (const output of answer.body['outputs'] as { name: string; data: unknown[] }[]) {
      const datatype = output.name.slice('out_'.length) as Datatype;
      assert.deepEqual(output.data, sample(datatype, seed));
    }
  });
});

test('every version loads; the highest answers when none is named', async () => {
  const metadata = modelMetadataSchema.parse(await (await fetch(`${scorer.url}/v2/models/echo`)).json());
  assert.deepEqual(metadata.versions, ['1', '2']);
  assert.deepEqual(
    metadata.inputs.map((i) => i.name),
    ['in_FP32'],
  );
  const onlyFp32 = { inputs: [{ name: 'in_FP32', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }] };
  assert.equal((await inferJson(scorer.url, 'echo', onlyFp32)).status, 200);
  const v1 = await inferJson(scorer.url, 'echo/versions/1', onlyFp32);
  assert.equal(v1.status, 400);
  assert.match(v1.body['error'] as string, /missing input/);
});
