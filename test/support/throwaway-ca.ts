import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface IssuedCertificate {
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
}

export interface ThrowawayCa {
  dir: string;
  caFile: string;
  ca: Buffer;
  /** A certificate for this machine's loopback (IP 127.0.0.1, DNS localhost), for a server. */
  server: IssuedCertificate;
  /** A client certificate signed by this CA. */
  client: IssuedCertificate;
  remove(): void;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

function issue(dir: string, name: string, subject: string, extensions: string, ca?: { cert: string; key: string }): IssuedCertificate {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.pem`);
  const extFile = path.join(dir, `${name}.ext`);
  writeFileSync(extFile, extensions);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', `${name}.csr`, '-subj', subject], dir);
  const signer = ca ? ['-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial'] : ['-signkey', keyFile];
  openssl(['x509', '-req', '-in', `${name}.csr`, ...signer, '-out', certFile, '-days', '1', '-extfile', extFile], dir);
  return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

/**
 * A certificate authority made for one test run with Debian's openssl (EC P-256, valid one day):
 * a server certificate for 127.0.0.1 and a client certificate, both signed by it.
 */
export function createThrowawayCa(label = 'ca'): ThrowawayCa {
  const dir = mkdtempSync(path.join(os.tmpdir(), `throwaway-${label}-`));
  const caKey = path.join(dir, 'ca.key');
  const caFile = path.join(dir, 'ca.pem');
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', caKey, '-out', caFile, '-days', '1', '-subj', `/CN=connector-service test ${label}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const signer = { cert: caFile, key: caKey };
  const server = issue(dir, 'server', '/CN=localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n', signer);
  const client = issue(dir, 'client', '/CN=shop-a', 'extendedKeyUsage=clientAuth\n', signer);
  return { dir, caFile, ca: readFileSync(caFile), server, client, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
