// SEAL-WebAssembly figures for `vfl bench ckks` to print beside ours (one thread, node-seal 7.0.0 = SEAL 4.1):
//   node_modules/node/bin/node bench.mjs [--n 8192] [--coeff-bits 60,40,40,60] [--scale-bits 40] [--seconds 0.5]
// Prints one JSON object; each figure is operations per second measured for about --seconds.
import { seal, ckksParms, contextOf, none, parseArgs, run } from './common.mjs';

/** Runs op repeatedly for at least `seconds` (after one warm-up call) and returns calls per second. */
function perSecond(seconds, op) {
  op();
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    op();
    count++;
    elapsed = (performance.now() - start) / 1000;
  } while (elapsed < seconds);
  return count / elapsed;
}

await run(async () => {
  const args = parseArgs(process.argv.slice(2));
  const n = Number(args.n ?? 8192);
  const bits = (args['coeff-bits'] ?? '60,40,40,60').split(',').map(Number);
  const scale = 2 ** Number(args['scale-bits'] ?? 40);
  const seconds = Number(args.seconds ?? 0.5);
  const context = contextOf(ckksParms(n, bits));
  const keys = new seal.KeyGenerator(context);
  const publicKey = keys.createPublicKey();
  const encoder = new seal.CKKSEncoder(context);
  const encryptor = new seal.Encryptor(context, publicKey);
  const decryptor = new seal.Decryptor(context, keys.secretKey());
  const evaluator = new seal.Evaluator(context);
  const values = Float64Array.from({ length: encoder.slotCount() }, (_, i) => Math.sin(i) * 10);

  const plain = new seal.Plaintext();
  encoder.encode(values, scale, plain);
  const cipher = new seal.Ciphertext();
  encryptor.encrypt(plain, cipher);
  const other = cipher.clone();
  const sum = new seal.Ciphertext();
  const product = new seal.Ciphertext();
  const decrypted = new seal.Plaintext();
  evaluator.multiplyPlain(cipher, plain, product);
  const accumulator = product.clone(); // at the product's scale, as the LR kernel's sum is

  const figures = {
    implementation: 'SEAL-WebAssembly (node-seal 7.0.0, SEAL 4.1)',
    n,
    coeff_bits: bits,
    encode_per_s: perSecond(seconds, () => encoder.encode(values, scale, plain)),
    encrypt_per_s: perSecond(seconds, () => encryptor.encrypt(plain, cipher)),
    add_per_s: perSecond(seconds, () => evaluator.add(cipher, other, sum)),
    multiply_plain_per_s: perSecond(seconds, () => evaluator.multiplyPlain(cipher, plain, product)),
    accumulate_ops_per_s: perSecond(seconds, () => {
      evaluator.multiplyPlain(cipher, plain, product);
      evaluator.addInplace(accumulator, product);
    }),
    decrypt_per_s: perSecond(seconds, () => {
      decryptor.decrypt(cipher, decrypted);
      encoder.decodeFloat64(decrypted);
    }),
    ciphertext_bytes: cipher.saveToArray(none()).length,
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
});
