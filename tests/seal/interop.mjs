// SEAL's side of the CKKS interop tests (VerticalFL.Crypto.Tests), on files in SEAL's format:
//   encrypt        --parms F --public-key F --scale-bits S --values v1,v2,... --out F
//   decrypt        --parms F --secret-key F --in F [--count K]     (prints the first K slots, one per line)
//   multiply-plain --parms F --in F (--plain F | --values v1,... --scale-bits S) --out F
//   encode         --parms F --scale-bits S --values v1,... --out F
// Exit code 1 with one line on stderr when SEAL refuses a file.
import { seal, loadParms, contextOf, load, save, parseArgs, parseValues, required, run } from './common.mjs';

function encodeValues(context, args) {
  const plain = new seal.Plaintext();
  const scale = 2 ** Number(required(args, 'scale-bits'));
  new seal.CKKSEncoder(context).encode(parseValues(required(args, 'values')), scale, plain);
  return plain;
}

const commands = {
  encrypt(args, context) {
    const publicKey = load('PublicKey', context, required(args, 'public-key'));
    const cipher = new seal.Ciphertext();
    new seal.Encryptor(context, publicKey).encrypt(encodeValues(context, args), cipher);
    save(cipher, required(args, 'out'));
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
  if (!command) throw new Error(`usage: interop.mjs ${Object.keys(commands).join('|')} --parms F ...`);
  const args = parseArgs(rest);
  command(args, contextOf(loadParms(required(args, 'parms'))));
});
