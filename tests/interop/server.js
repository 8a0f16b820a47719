// grpc-js server playing a party: Health.Check, Mailbox.Deliver / DeliverStream, JobControl.WatchJob.
// Usage: node server.js --keys DIR --party host
// Requires client certificates from the same CA. Prints "LISTENING <port>", exits when stdin closes.
'use strict';
const { grpc, vfl, health, args, keys } = require('./protos');

const a = args();
const k = keys(a.keys, a.party);

// The caller's party, from its TLS certificate (subject CN), as our own server does.
function callerOf(call) {
  const auth = call.getAuthContext ? call.getAuthContext() : null;
  const cert = auth && auth.sslPeerCertificate;
  return cert && cert.subject ? cert.subject.CN : 'unknown';
}

const server = new grpc.Server();
server.addService(health.Health.service, {
  check: (call, done) => done(null, { status: 'SERVING' }),
  watch: (call) => { call.write({ status: 'SERVING' }); },
});
server.addService(vfl.Mailbox.service, {
  deliver: (call, done) => done(null, { messageId: call.request.messageId, duplicate: false }),
  deliverStream: (call) => {
    call.on('data', (envelope) => call.write({ messageId: envelope.messageId, duplicate: false }));
    call.on('end', () => call.end());
  },
});
server.addService(vfl.JobControl.service, {
  propose: (call, done) => done(null, { jobId: call.request.jobId, accepted: true }),
  cancel: (call, done) => done(null, { jobId: call.request.jobId, state: 'JOB_STATE_CANCELLED' }),
  status: (call, done) => done(null, { jobId: call.request.jobId, state: 'JOB_STATE_RUNNING' }),
  watchJob: (call) => {
    for (let i = 1; i <= 3; i++)
      call.write({ jobId: call.request.jobId, state: 'JOB_STATE_RUNNING', progress: i / 3, message: `peer=${callerOf(call)}` });
    call.end();
  },
});

const credentials = grpc.ServerCredentials.createSsl(k.ca, [{ cert_chain: k.cert, private_key: k.key }], true);
server.bindAsync('127.0.0.1:0', credentials, (err, port) => {
  if (err) {
    process.stderr.write(`bind failed: ${err.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`LISTENING ${port}\n`);
});
process.stdin.on('end', () => server.tryShutdown(() => process.exit(0)));
process.stdin.resume();
