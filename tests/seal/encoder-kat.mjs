// Prints SHA-256 of the residues (the last 8·N·L bytes of the saved Plaintext) that SEAL's CKKS encoder makes
// for a full, fixed vector at three parameter sets. EncoderSealTests holds our encoder's output against these.
//   node_modules/node/bin/node encoder-kat.mjs      (node-seal 7.0.0 = Microsoft SEAL 4.1, WebAssembly)
import SEAL from 'node-seal';
import { createHash } from 'node:crypto';

const seal = await SEAL();
const SETS = [[8192, [60, 40, 40, 60], 40], [8192, [60, 60, 60], 50], [4096, [36, 36, 37], 30]];
for (const [n, bits, scaleBits] of SETS) {
  const parms = new seal.EncryptionParameters(seal.SchemeType.ckks);
  parms.setPolyModulusDegree(n);
  parms.setCoeffModulus(seal.CoeffModulus.Create(n, Int32Array.from(bits)));
  const context = new seal.SEALContext(parms, true, seal.SecLevelType.tc128);
  // Exactly representable inputs built with integer steps and one division each: identical in C#.
  const values = Float64Array.from({ length: n / 2 }, (_, i) => ((i * 7919) % 2001 - 1000) / 3 + i / 7);
  const plain = new seal.Plaintext();
  new seal.CKKSEncoder(context).encode(values, 2 ** scaleBits, plain);
  const bytes = plain.saveToArray(seal.ComprModeType.none);
  const levels = bits.length - 1;
  const residues = bytes.subarray(bytes.length - 8 * n * levels);
  console.log(`${n} ${bits.join(',')} 2^${scaleBits} ${createHash('sha256').update(residues).digest('hex')}`);
}
