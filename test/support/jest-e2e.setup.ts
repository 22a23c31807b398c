// End-to-end tests start processes and servers: a minute each, not jest's five seconds.
jest.setTimeout(60_000);
