// SEAL's side of the CKKS interop tests (VerticalFL.Crypto.Tests), on files in SEAL's format:
//   encrypt        --parms F --public-key F --scale-bits S --values v1,v2,... --out F
//   decrypt        --parms F --secret-key F --in F [--count K]     (prints the first K slots, one per line)
//   multiply-plain --parms F --in F (--plain F | --values v1,... --scale-bits S) --out F
//   encode         --parms F --scale-bits S --values v1,... --out F
//   keygen         --n N --coeff-bits b1,b2,... --out DIR          (SEAL's own parms.seal, public.seal, secret.seal)
//   encrypt-seeded --parms F --public-key F --secret-key F --scale-bits S --values v1,... --out F   (symmetric, saved with its seed)
// encrypt takes --compress zlib|zstd to save a compressed ciphertext (which our reader must refuse).
// Exit code 1 with one line on stderr when SEAL refuses a file.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seal, ckksParms, loadParms, contextOf, load, save, none, parseArgs, parseValues, required, run } from './common.mjs';

function encodeValues(context, args) {
  const plain = new seal.Plaintext();
  const scale = 2 ** Number(required(args, 'scale-bits'));
  new seal.CKKSEncoder(context).encode(parseValues(required(args, 'values')), scale, plain);
  return plain;
}

function keygen(args) {
  const parms = ckksParms(Number(required(args, 'n')), required(args, 'coeff-bits').split(',').map(Number));
  const keys = new seal.KeyGenerator(contextOf(parms));
  const out = required(args, 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'parms.seal'), parms.saveToArray(none()));
  save(keys.createPublicKey(), join(out, 'public.seal'));
  writeFileSync(join(out, 'secret.seal'), keys.secretKey().saveToArray(none()), { mode: 0o600 });
}

const commands = {
  keygen: null, // needs no parms file: handled before the context is made

  encrypt(args, context) {
    const publicKey = load('PublicKey', context, required(args, 'public-key'));
    const cipher = new seal.Ciphertext();
    new seal.Encryptor(context, publicKey).encrypt(encodeValues(context, args), cipher);
    if (args.compress) writeFileSync(required(args, 'out'), cipher.saveToArray(seal.ComprModeType[args.compress]));
    else save(cipher, required(args, 'out'));
  },
  'encrypt-seeded'(args, context) {
    const secretKey = load('SecretKey', context, required(args, 'secret-key'));
    const encryptor = new seal.Encryptor(context, load('PublicKey', context, required(args, 'public-key')), secretKey);
    writeFileSync(required(args, 'out'), encryptor.encryptSymmetricSerializable(encodeValues(context, args)).saveToArray(none()));
  },
  decrypt(args, context) {
    const secretKey = load('SecretKey', context, required(args, 'secret-key'));
    const cipher = load('Ciphertext', context, required(args, 'in'));
    const plain = new seal.Plaintext();
    new seal.Decryptor(context, secretKey).decrypt(cipher, plain);
    const values = new seal.CKKSEncoder(context).decodeFloat64(plain);
    const count = Math.min(Number(args.count ?? values.length), values.length);
    process.stdout.write(Array.from(values.slice(0, count), (v) => v.toPrecision(17)).join('\n') + '\n');
  },
  'multiply-plain'(args, context) {
    const cipher = load('Ciphertext', context, required(args, 'in'));
    const plain = args.plain !== undefined ? load('Plaintext', context, args.plain) : encodeValues(context, args);
    const product = new seal.Ciphertext();
    new seal.Evaluator(context).multiplyPlain(cipher, plain, product);
    save(product, required(args, 'out'));
  },
  encode(args, context) {
    save(encodeValues(context, args), required(args, 'out'));
  },
};

await run(async () => {
  const [name, ...rest] = process.argv.slice(2);
  const command = commands[name];
  if (!(name in commands)) throw new Error(`usage: interop.mjs ${Object.keys(commands).join('|')} --parms F ...`);
  const args = parseArgs(rest);
  if (name === 'keygen') return keygen(args);
  command(args, contextOf(loadParms(required(args, 'parms'))));
});
