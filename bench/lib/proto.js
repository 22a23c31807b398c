'use strict';
// The project's .proto files, loaded with the options the service uses (apps/connector-service/src/grpc-options.ts).
const path = require('node:path');
const { loadSync } = require('@grpc/proto-loader');
const grpc = require('@grpc/grpc-js');
const { ROOT } = require('./util');

function loadProtos() {
  const definition = loadSync(['types/services.proto', 'connector_service/admin/v1/customer_mappings.proto'], {
    includeDirs: [path.join(ROOT, 'proto')],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: false,
  });
  return grpc.loadPackageDefinition(definition);
}

module.exports = { loadProtos, grpc };
