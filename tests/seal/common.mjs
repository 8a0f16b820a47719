// Shared helpers of the node-seal scripts (fixtures.mjs, interop.mjs, bench.mjs).
// node-seal 7 is SEAL 4.1 compiled to WebAssembly; it needs Node >= 22 (node_modules/node/bin/node).
import SEAL from 'node-seal';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';

export const seal = await SEAL();
export const none = () => seal.ComprModeType.none;

/** Reads `--name value` pairs; a flag without a value is an error. */
export function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (!key.startsWith('--')) throw new Error(`unexpected argument ${key}`);
    if (i + 1 >= argv.length) throw new Error(`${key} needs a value`);
    args[key.slice(2)] = argv[++i];
  }
  return args;
}

export function required(args, name) {
  if (args[name] === undefined) throw new Error(`--${name} is required`);
  return args[name];
}

export function coeffModulus(n, bits) {
  return seal.CoeffModulus.Create(n, Int32Array.from(bits));
}

export function primes(vector) {
  return Array.from({ length: vector.size() }, (_, i) => vector.get(i).value());
}

export function ckksParms(n, bits) {
  const parms = new seal.EncryptionParameters(seal.SchemeType.ckks);
  parms.setPolyModulusDegree(n);
  parms.setCoeffModulus(coeffModulus(n, bits));
  return parms;
}

export function contextOf(parms) {
  const context = new seal.SEALContext(parms, true, seal.SecLevelType.tc128);
  if (!context.parametersSet()) throw new Error(`SEAL refuses the parameters: ${context.toHuman()}`);
  return context;
}

export function loadParms(path) {
  const parms = new seal.EncryptionParameters(seal.SchemeType.ckks);
  parms.loadFromArray(new Uint8Array(readFileSync(path)));
  return parms;
}

export function load(type, context, path) {
  const object = new seal[type]();
  object.loadFromArray(context, new Uint8Array(readFileSync(path)));
  return object;
}

export function save(object, path) {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, object.saveToArray(none()));
  renameSync(temp, path);
}

export const hex = (bytes) => Buffer.from(bytes).toString('hex');

export function parseValues(text) {
  return Float64Array.from(text.split(',').map((v) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) throw new Error(`not a number: "${v}"`);
    return x;
  }));
}

/** Runs main and turns any error into one line on stderr and exit code 1. */
export async function run(main) {
  try {
    await main();
  } catch (e) {
    process.stderr.write(`${e?.message ?? e}\n`);
    process.exit(1);
  }
}
