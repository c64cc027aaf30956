// The official AWS SDK for JavaScript as the oracle of our Rekognition client (tests/CatWrangler.Aws.Tests/Contracts).
// Reads {"cases":[...]} on stdin, writes {"results":[...]} on stdout. Nothing leaves the machine: a request handler
// records each request and answers with the case's canned response. Case kinds:
//   request  {time, region, credentials, input, env?}        -> {method, url, headers, body (base64)} as signed
//   endpoint {region, env}                                     -> {url} or {error}
//   error    {status, headers, body}                           -> {name, retryable} of the exception the SDK throws
import { RekognitionClient, DetectLabelsCommand } from "@aws-sdk/client-rekognition";
import { isThrottlingError, isTransientError, isServerError } from "@smithy/core/retry";

const RealDate = Date;
let frozen = null;
class FrozenDate extends RealDate {
  constructor(...args) { super(...(args.length === 0 && frozen !== null ? [frozen] : args)); }
  static now() { return frozen ?? RealDate.now(); }
}
globalThis.Date = FrozenDate;

const encoder = new TextEncoder();
const SDK_ONLY_HEADERS = ["user-agent", "x-amz-user-agent", "amz-sdk-invocation-id", "amz-sdk-request"];
const ENV_KEYS = ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_REKOGNITION", "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT",
  "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"];

function recorder(response) {
  const seen = [];
  return {
    seen,
    handler: {
      async handle(request) {
        seen.push(request);
        const body = encoder.encode(response.body ?? "");
        return {
          response: {
            statusCode: response.status ?? 200,
            headers: { "content-type": "application/x-amz-json-1.1", ...(response.headers ?? {}) },
            body: new ReadableStream({ start(c) { c.enqueue(body); c.close(); } }),
          },
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs() { return {}; },
    },
  };
}

function client(kase, handler) {
  for (const key of ENV_KEYS) delete process.env[key];
  // No shared config files: only what the case sets.
  process.env.AWS_CONFIG_FILE = "/nonexistent/catwrangler-config";
  process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent/catwrangler-credentials";
  Object.assign(process.env, kase.env ?? {});
  const c = new RekognitionClient({
    region: kase.region ?? "us-east-1",
    credentials: kase.credentials ?? { accessKeyId: "AKIDORACLE", secretAccessKey: "oracle-secret" },
    requestHandler: handler,
    maxAttempts: 1,
  });
  // Telemetry headers only the SDK sends: dropped before signing so both sides sign the same request.
  c.middlewareStack.addRelativeTo((next) => async (args) => {
    for (const name of Object.keys(args.request.headers)) {
      if (SDK_ONLY_HEADERS.includes(name.toLowerCase())) delete args.request.headers[name];
    }
    return next(args);
  }, { relation: "before", toMiddleware: "httpSigningMiddleware", name: "catwranglerDropSdkHeaders" });
  return c;
}

function input(raw) {
  const image = raw.Image.Bytes !== undefined ? { Bytes: Buffer.from(raw.Image.Bytes, "base64") } : { S3Object: raw.Image.S3Object };
  return { ...raw, Image: image };
}

async function run(kase) {
  frozen = kase.time ? new RealDate(kase.time).getTime() : null;
  const okBody = '{"Labels":[]}';
  if (kase.kind === "request" || kase.kind === "endpoint") {
    const rec = recorder({ status: 200, body: okBody });
    try {
      await client(kase, rec.handler).send(new DetectLabelsCommand(input(kase.input ?? { Image: { Bytes: "AAEC" } })));
    } catch (e) {
      return { error: e.message };
    }
    const r = rec.seen[0];
    const url = `${r.protocol}//${r.hostname}${r.port ? ":" + r.port : ""}${r.path}`;
    if (kase.kind === "endpoint") return { url };
    const headers = {};
    for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
    return { method: r.method, url, headers, body: Buffer.from(r.body).toString("base64") };
  }
  if (kase.kind === "error") {
    const rec = recorder({ status: kase.status, headers: kase.headers, body: kase.body });
    try {
      await client(kase, rec.handler).send(new DetectLabelsCommand(input({ Image: { Bytes: "AAEC" } })));
      return { error: "no exception" };
    } catch (e) {
      return { name: e.name, retryable: isThrottlingError(e) || isTransientError(e) || isServerError(e) };
    }
  }
  return { error: "unknown kind " + kase.kind };
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { cases } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const results = [];
for (const kase of cases) results.push(await run(kase));
process.stdout.write(JSON.stringify({ results }));
