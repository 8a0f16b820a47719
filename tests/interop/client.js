// grpc-js client → a VerticalFL party server: Health.Check, then Mailbox.DeliverStream (bidi).
// Usage: node client.js --address 127.0.0.1:PORT --keys DIR --party guest --job JOB --count N
// Prints one JSON line: {"health": "...", "acks": [message ids in order]}.
'use strict';
const { grpc, vfl, health, args, keys } = require('./protos');

const a = args();
const k = keys(a.keys, a.party);
const credentials = grpc.credentials.createSsl(k.ca, k.key, k.cert);
const deadline = () => new Date(Date.now() + 10000);

function check() {
  const client = new health.Health(a.address, credentials);
  return new Promise((resolve, reject) =>
    client.check({ service: '' }, { deadline: deadline() }, (err, reply) => (err ? reject(err) : resolve(reply.status))));
}

function deliverStream(count) {
  const client = new vfl.Mailbox(a.address, credentials);
  return new Promise((resolve, reject) => {
    const acks = [];
    const call = client.deliverStream({ deadline: deadline() });
    call.on('data', (ack) => acks.push(ack.messageId));
    call.on('error', reject);
    call.on('end', () => resolve(acks));
    for (let i = 0; i < count; i++) {
      call.write({
        messageId: `node-${i}`,
        jobId: a.job,
        payloadType: 'vfl.v1.JobStatusRequest',
        epoch: -1,
        batch: -1,
        // JobStatusRequest { job_id = "node-i" }: field 1, wire type 2.
        payload: Buffer.concat([Buffer.from([0x0a, `node-${i}`.length]), Buffer.from(`node-${i}`)]),
        // Must be ignored by the server: the sender is the certificate's party.
        sender: 'mallory',
      });
    }
    call.end();
  });
}

(async () => {
  const status = await check();
  const acks = await deliverStream(Number(a.count || 3));
  process.stdout.write(JSON.stringify({ health: status, acks }) + '\n');
  process.exit(0);
})().catch((err) => {
  process.stderr.write(`interop client failed: ${err.code} ${err.details || err.message}\n`);
  process.exit(1);
});
