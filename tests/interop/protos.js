// Loads VerticalFL's own .proto files (protos/ at the repository root) with @grpc/proto-loader.
'use strict';
const path = require('path');
const fs = require('fs');
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const root = path.resolve(__dirname, '..', '..', 'protos');
const definition = loader.loadSync(
  ['vfl/v1/mailbox_service.proto', 'vfl/v1/job_service.proto', 'grpc/health/v1/health.proto'],
  { includeDirs: [root], keepCase: false, longs: String, enums: String, defaults: true, oneofs: true });
const loaded = grpc.loadPackageDefinition(definition);

// --name value pairs from the command line.
function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

// A party's files as written by `vfl keys init`.
function keys(dir, party) {
  return {
    ca: fs.readFileSync(path.join(dir, 'ca.crt')),
    cert: fs.readFileSync(path.join(dir, party + '.crt')),
    key: fs.readFileSync(path.join(dir, party + '.key')),
  };
}

module.exports = { grpc, vfl: loaded.vfl.v1, health: loaded.grpc.health.v1, args, keys };
