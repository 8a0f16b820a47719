// Writes the CKKS known-answer fixtures of VerticalFL.Crypto.Tests from real SEAL (node-seal 7.0.0 = SEAL 4.1):
//   node_modules/node/bin/node fixtures.mjs [--out ../VerticalFL.Crypto.Tests/Ckks/Fixtures]
// Everything written is deterministic (no keys, no randomness), so a re-run must give the same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seal, ckksParms, contextOf, primes, hex, none, parseArgs, run } from './common.mjs';

const SETS = [
  { name: 'n8192-60-40-40-60', n: 8192, bits: [60, 40, 40, 60] },
  { name: 'n8192-60-60-60', n: 8192, bits: [60, 60, 60] },
  { name: 'n4096-36-36-37', n: 4096, bits: [36, 36, 37] },
];

// A fixed real vector, encoded at the first data level (the level encode uses by default).
const PLAINTEXTS = [
  { set: 'n4096-36-36-37', scaleBits: 30 },
  { set: 'n8192-60-40-40-60', scaleBits: 40 },
];
const VALUES = [1, -2, 0.5, 3.25, -0.125, 100, -7.75, 0.001, 1 / 3, -1e-4, 12345.678, 0];

/** parms_id as the 32 bytes SEAL writes: four u64 words, each little-endian. */
function parmsIdBytes(id) {
  const bytes = Buffer.alloc(32);
  Array.from(id.values()).forEach((w, i) => bytes.writeBigUInt64LE(w, 8 * i));
  return hex(bytes);
}

function levels(context) {
  const out = [];
  for (let data = context.keyContextData(); data; data = data.nextContextData()) {
    out.push({
      chain_index: data.chainIndex(),
      prime_count: data.parms().coeffModulus().size(),
      parms_id: parmsIdBytes(data.parmsId()),
    });
    if (data.chainIndex() === 0) break;
  }
  return out;
}

await run(async () => {
  const args = parseArgs(process.argv.slice(2));
  const out = args.out ?? join(import.meta.dirname, '../VerticalFL.Crypto.Tests/Ckks/Fixtures');
  mkdirSync(out, { recursive: true });
  const sets = [];
  const contexts = {};
  for (const set of SETS) {
    const parms = ckksParms(set.n, set.bits);
    const context = contextOf(parms);
    contexts[set.name] = context;
    sets.push({
      name: set.name,
      n: set.n,
      coeff_bits: set.bits,
      primes: primes(parms.coeffModulus()).map((p) => p.toString()),
      primes_hex: primes(parms.coeffModulus()).map((p) => `0x${p.toString(16)}`),
      levels: levels(context),
      encryption_parameters: hex(parms.saveToArray(none())),
    });
  }
  const plaintexts = [];
  for (const p of PLAINTEXTS) {
    const context = contexts[p.set];
    const plain = new seal.Plaintext();
    new seal.CKKSEncoder(context).encode(Float64Array.from(VALUES), 2 ** p.scaleBits, plain);
    const file = `plaintext-${p.set}-scale${p.scaleBits}.seal`;
    writeFileSync(join(out, file), plain.saveToArray(none()));
    plaintexts.push({ set: p.set, scale_bits: p.scaleBits, parms_id: parmsIdBytes(plain.parmsId()), file });
  }
  const fixture = {
    source: 'tests/seal/fixtures.mjs with node-seal 7.0.0 (Microsoft SEAL 4.1, WebAssembly)',
    parameter_sets: sets,
    plaintext_values: VALUES,
    plaintexts,
  };
  writeFileSync(join(out, 'seal-known-answers.json'), JSON.stringify(fixture, null, 2) + '\n');
  console.log(`wrote ${out}`);
});
