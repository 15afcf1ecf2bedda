// A container's health check without curl in the image: exit 0 if the URL answers 2xx within 5 s.
//   node deploy/healthcheck.mjs http://127.0.0.1:4000/readyz
const url = process.argv[2];
fetch(url, { signal: AbortSignal.timeout(5000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
